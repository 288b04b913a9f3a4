/*
 * tb_model_glue.cpp -- implements tb_model_abi.h for one Verilated model.
 *
 * Compiled once per model with:
 *   -DTB_MODEL=<module>            the RTL top module (e.g. csum_offload)
 *   -include V<module>.h           Verilator's generated class
 *   -I<dir with tb_ports.inc>      TB_PORT(name, width, dir) for every port,
 *                                  generated from the class header by the build
 *   -DTB_CLOCK=<port>              the clock input (rising edges)
 *   -DTB_RESET=<port> -DTB_RESET_ACTIVE=1|0
 *                                  the reset input and the level that asserts it
 *   or -DTB_NO_RESET=1             a model without a reset input (reset() only clocks)
 *   -DVM_COVERAGE=1                a coverage build (Verilator --coverage): coverage_write
 *                                  writes the counters of the model's own VerilatedContext
 * build-model.sh passes them from the model's manifest or tb rtl build's options.
 */
#include "tb_model_abi.h"
#include "verilated.h"
#include "verilated_vcd_c.h"
#if VM_COVERAGE
#include "verilated_cov.h"
#endif

#include <cstdio>
#include <cstring>
#include <new>

#define TB_CAT2(a, b) a##b
#define TB_CAT(a, b) TB_CAT2(a, b)
#define TB_STR2(a) #a
#define TB_STR(a) TB_STR2(a)
#define TB_CLASS TB_CAT(V, TB_MODEL)

#ifndef TB_CLOCK
#error "TB_CLOCK (the clock port) is not defined"
#endif
#if !defined(TB_NO_RESET) && (!defined(TB_RESET) || !defined(TB_RESET_ACTIVE))
#error "TB_RESET and TB_RESET_ACTIVE (or TB_NO_RESET) are not defined"
#endif

namespace {

struct Model {
    VerilatedContext context;
    TB_CLASS *top = nullptr;
    VerilatedVcdC *trace = nullptr;
    uint64_t cycles = 0;
    uint64_t period_ps = 4000;
    void *ports[64] = {};
};

/*
 * Waveform time, the one time base of every backend (Waveforms.java): picoseconds, the
 * rising edge that ends cycle c at c * period, the falling edge half a period before it.
 * Each time is dumped once (a second dump at the same time is what Verilator refuses
 * with "previous dump at t=... dump call ignored").
 */
inline void dump(Model *m, uint64_t t) {
    if (m->trace) m->trace->dump(t);
}

inline void edge(Model *m) {
    m->top->TB_CLOCK = 0;
    m->top->eval();
    dump(m, m->cycles * m->period_ps + m->period_ps / 2);
    m->top->TB_CLOCK = 1;
    m->top->eval();
    m->cycles++;
    dump(m, m->cycles * m->period_ps);
}

#define TB_PORT(name, width, dir) {#name, width, dir, (int16_t) sizeof(((TB_CLASS *) nullptr)->name)},
const tb_port_desc port_table[] = {
#include "tb_ports.inc"
};
#undef TB_PORT
constexpr int32_t port_count = sizeof(port_table) / sizeof(port_table[0]);
static_assert(port_count <= 64, "raise Model::ports");

void *create() {
    Model *m = new (std::nothrow) Model();
    if (!m) return nullptr;
    /* Tracing is compiled in and costs nothing until a waveform is opened. */
    m->context.traceEverOn(true);
    m->top = new (std::nothrow) TB_CLASS(&m->context, TB_STR(TB_MODEL));
    if (!m->top) {
        delete m;
        return nullptr;
    }
    int32_t i = 0;
#define TB_PORT(name, width, dir) m->ports[i++] = (void *) &m->top->name;
#include "tb_ports.inc"
#undef TB_PORT
    m->top->TB_CLOCK = 1;
#ifndef TB_NO_RESET
    m->top->TB_RESET = !TB_RESET_ACTIVE;
#endif
    m->top->eval();
    return m;
}

void destroy(void *handle) {
    Model *m = static_cast<Model *>(handle);
    if (!m) return;
    if (m->trace) {
        m->trace->close();
        delete m->trace;
    }
    m->top->final();
    delete m->top;
    delete m;
}

void *port_address(void *handle, int32_t port) {
    Model *m = static_cast<Model *>(handle);
    return port >= 0 && port < port_count ? m->ports[port] : nullptr;
}

void eval(void *handle) { static_cast<Model *>(handle)->top->eval(); }

void step(void *handle, int64_t n) {
    Model *m = static_cast<Model *>(handle);
    for (int64_t i = 0; i < n; i++) edge(m);
}

void reset(void *handle, int32_t n) {
    Model *m = static_cast<Model *>(handle);
#ifndef TB_NO_RESET
    m->top->TB_RESET = TB_RESET_ACTIVE;
#endif
    for (int32_t i = 0; i < n; i++) edge(m);
#ifndef TB_NO_RESET
    m->top->TB_RESET = !TB_RESET_ACTIVE;
#endif
    m->top->eval();
}

uint64_t cycle(void *handle) { return static_cast<Model *>(handle)->cycles; }

int32_t trace_open(void *handle, const char *path, int64_t period_ps) {
    Model *m = static_cast<Model *>(handle);
    if (m->trace) {
        m->trace->close();
        delete m->trace;
        m->trace = nullptr;
    }
    VerilatedVcdC *t = new (std::nothrow) VerilatedVcdC();
    if (!t) return -1;
    m->period_ps = period_ps > 1 ? (uint64_t) period_ps : 4000;
    t->set_time_unit("1ps");
    t->set_time_resolution("1ps");
    m->top->trace(t, 99);
    t->open(path);
    if (!t->isOpen()) {
        delete t;
        return -1;
    }
    m->trace = t;
    /* Current values at the current time (the last rising edge), so the file starts complete;
     * opened before reset(), the reset and the first edge are in it. */
    dump(m, m->cycles * m->period_ps);
    return 0;
}

void trace_close(void *handle) {
    Model *m = static_cast<Model *>(handle);
    if (!m->trace) return;
    m->trace->close();
    delete m->trace;
    m->trace = nullptr;
}

template <typename T>
inline uint64_t read_as(void *p) { return (uint64_t) *static_cast<T *>(p); }

uint64_t read_port(Model *m, int32_t port) {
    switch (port_table[port].bytes) {
        case 1: return read_as<uint8_t>(m->ports[port]);
        case 2: return read_as<uint16_t>(m->ports[port]);
        case 4: return read_as<uint32_t>(m->ports[port]);
        default: return read_as<uint64_t>(m->ports[port]);
    }
}

void write_port(Model *m, int32_t port, uint64_t v) {
    uint64_t mask = port_table[port].width >= 64 ? ~0ull : ((1ull << port_table[port].width) - 1);
    v &= mask;
    switch (port_table[port].bytes) {
        case 1: *static_cast<uint8_t *>(m->ports[port]) = (uint8_t) v; break;
        case 2: *static_cast<uint16_t *>(m->ports[port]) = (uint16_t) v; break;
        case 4: *static_cast<uint32_t *>(m->ports[port]) = (uint32_t) v; break;
        default: *static_cast<uint64_t *>(m->ports[port]) = v; break;
    }
}

/*
 * Each model owns its VerilatedContext, so its counters are its own: two models open in one
 * process (a lockstep pair, the stages of a host) write two independent .dat files.
 */
int32_t coverage_write(void *handle, const char *path) {
#if VM_COVERAGE
    Model *m = static_cast<Model *>(handle);
    if (!path) return 0;
    FILE *probe = std::fopen(path, "a");  /* VerilatedCov's write reports failure only on stderr */
    if (!probe) return -1;
    std::fclose(probe);
    m->context.coveragep()->write(path);
    return 0;
#else
    (void) handle;
    (void) path;
    return -2;
#endif
}

uint64_t bench_loop(void *handle, int32_t in_port, int32_t out_port, int64_t n) {
    Model *m = static_cast<Model *>(handle);
    uint64_t acc = 0;
    for (int64_t i = 0; i < n; i++) {
        write_port(m, in_port, (uint64_t) i);
        edge(m);
        acc ^= read_port(m, out_port);
    }
    return acc;
}

const tb_model_abi abi = {
    TB_MODEL_ABI_VERSION, port_count, TB_STR(TB_MODEL), port_table,
    create, destroy, port_address, eval, step, reset, cycle, trace_open, trace_close, bench_loop,
    coverage_write,
};

}  // namespace

extern "C" __attribute__((visibility("default"))) const tb_model_abi *TB_CAT(tb_model_abi_, TB_MODEL)(void) {
    return &abi;
}
