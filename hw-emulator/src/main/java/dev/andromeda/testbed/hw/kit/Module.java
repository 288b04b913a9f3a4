package dev.andromeda.testbed.hw.kit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Hardware described in plain Java: the "Chisel-free" RTL kit.
 *
 * <p>A module declares its ports, registers and memories in its constructor
 * and writes two methods, kept apart as registers and next-state logic are
 * kept apart in good Verilog:
 * <ul>
 *   <li>{@link #nextState()} -- runs once per cycle before the rising edge;
 *       reads inputs, registers and memories and schedules register and
 *       memory updates (the {@code always_comb} feeding {@code always_ff});</li>
 *   <li>{@link #drive()} -- runs after every edge; assigns the outputs from
 *       registers and memories only (registered outputs, no input-to-output
 *       path).</li>
 * </ul>
 * {@link KitModel} turns a module into a {@link dev.andromeda.testbed.hw.HardwareModel}
 * with the same cycle semantics as a Verilated model, and writes VCD
 * waveforms of every port and register.
 *
 * <p>The clock is implicit. Declare an input named {@code rst} and honour it
 * in {@code nextState()} for a synchronous reset, as the RTL does.
 */
public abstract class Module {
    private final String name;
    private final List<Signal> ports = new ArrayList<>();
    private final List<Reg> regs = new ArrayList<>();
    private final List<Mem> mems = new ArrayList<>();
    private Reg[] regArray = new Reg[0];
    private Mem[] memArray = new Mem[0];
    private Module[] children = new Module[0];

    protected Module(String name) {
        this.name = name;
    }

    public final String name() {
        return name;
    }

    protected final Input input(String portName, int width) {
        Input p = new Input(portName, width);
        ports.add(p);
        return p;
    }

    protected final Output output(String portName, int width) {
        Output p = new Output(portName, width);
        ports.add(p);
        return p;
    }

    protected final Reg reg(String regName, int width) {
        Reg r = new Reg(regName, width);
        regs.add(r);
        regArray = regs.toArray(new Reg[0]);
        return r;
    }

    protected final Mem mem(String memName, int width, int depth) {
        Mem m = new Mem(memName, width, depth);
        mems.add(m);
        memArray = mems.toArray(new Mem[0]);
        return m;
    }

    /**
     * Instantiates {@code child} inside this module, as a Verilog module instance: the
     * parent drives the child's inputs in its own {@link #nextState()} (from its registers,
     * its inputs and the child's outputs -- wires, as in the RTL), and the child's
     * next-state logic runs after the parent's, its edge with the parent's, its output
     * logic before the parent's, so the parent's {@code drive()} may read the child's
     * outputs of the same cycle.
     */
    protected final <M extends Module> M instance(M child) {
        Module[] c = java.util.Arrays.copyOf(children, children.length + 1);
        c[children.length] = child;
        children = c;
        return child;
    }

    /** A port of this module by name (for a parent wiring an instance). */
    public final Signal port(String portName) {
        for (Signal s : ports) {
            if (s.name().equals(portName)) {
                return s;
            }
        }
        throw new IllegalArgumentException(name + " has no port '" + portName + "'");
    }

    /** Next-state logic: schedule register and memory updates from inputs and state. */
    protected abstract void nextState();

    /** Output logic: assign every output from registers and memories. */
    protected abstract void drive();

    /** Ports in declaration order; their index is their handle. */
    public final List<Signal> ports() {
        return Collections.unmodifiableList(ports);
    }

    public final List<Reg> registers() {
        return Collections.unmodifiableList(regs);
    }

    /** One clock cycle: next-state logic, the edge, output logic. */
    final void cycle() {
        evaluate();
        edge();
        driveAll();
    }

    private void evaluate() {
        nextState();
        for (Module c : children) {
            c.evaluate();
        }
    }

    /** Output logic of the instances, then this module's. */
    final void driveAll() {
        for (Module c : children) {
            c.driveAll();
        }
        drive();
    }

    private void edge() {
        for (Module c : children) {
            c.edge();
        }
        Reg[] r = regArray;
        for (Reg reg : r) {
            reg.edge();
        }
        Mem[] m = memArray;
        for (Mem mem : m) {
            mem.edge();
        }
    }
}
