/*
 * tb_model_abi.h -- the one C ABI every Verilated model of the testbed exports.
 *
 * Both Java backends call this same table: the JNI shim (tb_jni.c) through
 * dlopen/dlsym, the FFM backend through SymbolLookup and downcall handles.
 * A model library exports exactly one symbol, tb_model_abi_<model>(), which
 * returns a pointer to a static, immutable table describing the model's ports
 * and holding its entry points. Layout changes bump TB_MODEL_ABI_VERSION and
 * must be mirrored in the Java side (dev.andromeda.testbed.bridge.ModelAbi).
 *
 *   offset  field
 *   0       uint32 abi_version
 *   4       int32  port_count
 *   8       const char* model_name
 *   16      const tb_port_desc* ports       (port_count entries of 16 bytes)
 *   24..    function pointers, 8 bytes each, in the order below
 *
 * Threading: a model handle is confined to the thread that created it
 * (Verilator constructs and evaluates a model on one thread).
 */
#ifndef TB_MODEL_ABI_H
#define TB_MODEL_ABI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TB_MODEL_ABI_VERSION 3u

#define TB_PORT_IN 0
#define TB_PORT_OUT 1

typedef struct tb_port_desc {
    const char *name;
    int32_t width;      /* bits */
    int16_t direction;  /* TB_PORT_IN or TB_PORT_OUT */
    int16_t bytes;      /* storage in the model: 1, 2, 4, 8 or 4*words */
} tb_port_desc;

typedef struct tb_model_abi {
    uint32_t abi_version;
    int32_t port_count;
    const char *model_name;
    const tb_port_desc *ports;
    /* A new model in reset-free state; NULL when out of memory. */
    void *(*create)(void);
    void (*destroy)(void *model);
    /* Address of the model's storage for a port: read and write it directly. */
    void *(*port_address)(void *model, int32_t port);
    /* Settle combinational logic after inputs changed (clock unchanged). */
    void (*eval)(void *model);
    /* n rising clock edges; inputs are sampled at each edge. */
    void (*step)(void *model, int64_t cycles);
    /* Hold the reset asserted (the model's reset port and polarity) for n cycles, then release it. */
    void (*reset)(void *model, int32_t cycles);
    /* Rising edges since creation. */
    uint64_t (*cycle)(void *model);
    /* Start a VCD waveform at path, $timescale 1ps, a rising edge every period_ps
     * (version 2; the time base of Waveforms.java); 0 on success, -1 when it cannot be opened. */
    int32_t (*trace_open)(void *model, const char *path, int64_t period_ps);
    void (*trace_close)(void *model);
    /* Reference loop for benchmarks: for n cycles, write the cycle count to
     * port in_port, step once, read port out_port; returns the XOR of reads. */
    uint64_t (*bench_loop)(void *model, int32_t in_port, int32_t out_port, int64_t cycles);
    /* Coverage (version 3). Writes the model's Verilator coverage counters (line, toggle,
     * user cover points) to path as a coverage .dat: 0 written, -1 cannot write, -2 not a
     * coverage build (build-model.sh --coverage). path NULL only asks: 0 a coverage build,
     * -2 not. Call it before destroy (which frees the counters). */
    int32_t (*coverage_write)(void *model, const char *path);
} tb_model_abi;

#ifdef __cplusplus
}
#endif

#endif
