package dev.andromeda.testbed.tb;

public final class Tb {
    public static void main(String[] args) {
        System.out.println("tb");
    }
}
