package dev.andromeda.testbed.hw.driver;

/** AXI's response codes ({@code RRESP}, {@code BRESP}): what a slave answers to a read or a write. */
public final class AxiResp {
    public static final int OKAY = 0;
    /** Exclusive access succeeded: only meaningful with an exclusive request ({@code AxLOCK}). */
    public static final int EXOKAY = 1;
    /** The slave was reached and refused the access. */
    public static final int SLVERR = 2;
    /** No slave at the address. */
    public static final int DECERR = 3;

    private AxiResp() {
    }

    /** The code's name, e.g. {@code SLVERR}. */
    public static String name(long resp) {
        return switch ((int) resp) {
            case OKAY -> "OKAY";
            case EXOKAY -> "EXOKAY";
            case SLVERR -> "SLVERR";
            case DECERR -> "DECERR";
            default -> "resp " + resp;
        };
    }
}
