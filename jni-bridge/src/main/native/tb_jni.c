/*
 * tb_jni.c -- the JNI backend: Java's JniNative natives over tb_model_abi.h.
 *
 * One shim serves every model: open() dlopens a model library and returns its
 * ABI table; every other call takes that table and a model handle. Hot calls
 * (set/get/step) return plain values and never throw; errors are reported by
 * the cold calls (open, create, traceOpen) as a null/negative result, with the
 * reason available from lastError().
 */
#include <dlfcn.h>
#include <jni.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tb_model_abi.h"

#define JNI_FN(name) Java_dev_andromeda_testbed_bridge_jni_JniNative_##name

static char last_error[512];

static const tb_model_abi *abi_of(jlong abi) { return (const tb_model_abi *) (intptr_t) abi; }

JNIEXPORT jstring JNICALL JNI_FN(lastError)(JNIEnv *env, jclass cls) {
    (void) cls;
    return (*env)->NewStringUTF(env, last_error);
}

JNIEXPORT jlong JNICALL JNI_FN(open)(JNIEnv *env, jclass cls, jstring path, jstring model) {
    (void) cls;
    const char *p = (*env)->GetStringUTFChars(env, path, NULL);
    const char *m = (*env)->GetStringUTFChars(env, model, NULL);
    jlong result = 0;
    void *lib = dlopen(p, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        snprintf(last_error, sizeof last_error, "dlopen %s: %s", p, dlerror());
    } else {
        char symbol[256];
        snprintf(symbol, sizeof symbol, "tb_model_abi_%s", m);
        const tb_model_abi *(*entry)(void) = (const tb_model_abi *(*)(void)) dlsym(lib, symbol);
        if (!entry) {
            snprintf(last_error, sizeof last_error, "%s has no symbol %s", p, symbol);
        } else {
            const tb_model_abi *abi = entry();
            if (abi->abi_version != TB_MODEL_ABI_VERSION) {
                snprintf(last_error, sizeof last_error, "%s: ABI version %u, this shim speaks %u", p,
                         abi->abi_version, TB_MODEL_ABI_VERSION);
            } else {
                result = (jlong) (intptr_t) abi;
            }
        }
    }
    (*env)->ReleaseStringUTFChars(env, path, p);
    (*env)->ReleaseStringUTFChars(env, model, m);
    return result;
}

JNIEXPORT jint JNICALL JNI_FN(portCount)(JNIEnv *env, jclass cls, jlong abi) {
    (void) env; (void) cls;
    return abi_of(abi)->port_count;
}

JNIEXPORT jstring JNICALL JNI_FN(portName)(JNIEnv *env, jclass cls, jlong abi, jint port) {
    (void) cls;
    return (*env)->NewStringUTF(env, abi_of(abi)->ports[port].name);
}

JNIEXPORT jint JNICALL JNI_FN(portWidth)(JNIEnv *env, jclass cls, jlong abi, jint port) {
    (void) env; (void) cls;
    return abi_of(abi)->ports[port].width;
}

JNIEXPORT jint JNICALL JNI_FN(portDirection)(JNIEnv *env, jclass cls, jlong abi, jint port) {
    (void) env; (void) cls;
    return abi_of(abi)->ports[port].direction;
}

JNIEXPORT jlong JNICALL JNI_FN(create)(JNIEnv *env, jclass cls, jlong abi) {
    (void) env; (void) cls;
    return (jlong) (intptr_t) abi_of(abi)->create();
}

JNIEXPORT void JNICALL JNI_FN(destroy)(JNIEnv *env, jclass cls, jlong abi, jlong model) {
    (void) env; (void) cls;
    abi_of(abi)->destroy((void *) (intptr_t) model);
}

JNIEXPORT void JNICALL JNI_FN(set)(JNIEnv *env, jclass cls, jlong abi, jlong model, jint port, jlong value) {
    (void) env; (void) cls;
    const tb_model_abi *a = abi_of(abi);
    void *p = a->port_address((void *) (intptr_t) model, port);
    int32_t width = a->ports[port].width;
    uint64_t v = (uint64_t) value;
    if (width < 64) v &= (1ull << width) - 1;
    switch (a->ports[port].bytes) {
        case 1: *(uint8_t *) p = (uint8_t) v; break;
        case 2: *(uint16_t *) p = (uint16_t) v; break;
        case 4: *(uint32_t *) p = (uint32_t) v; break;
        default: *(uint64_t *) p = v; break;
    }
}

JNIEXPORT jlong JNICALL JNI_FN(get)(JNIEnv *env, jclass cls, jlong abi, jlong model, jint port) {
    (void) env; (void) cls;
    const tb_model_abi *a = abi_of(abi);
    void *p = a->port_address((void *) (intptr_t) model, port);
    switch (a->ports[port].bytes) {
        case 1: return *(uint8_t *) p;
        case 2: return *(uint16_t *) p;
        case 4: return *(uint32_t *) p;
        default: return (jlong) *(uint64_t *) p;
    }
}

/* Wide ports (> 64 bits) are arrays of 32-bit words in Verilator; Java sees longs. */
JNIEXPORT void JNICALL JNI_FN(setWide)(JNIEnv *env, jclass cls, jlong abi, jlong model, jint port, jlongArray value) {
    (void) cls;
    const tb_model_abi *a = abi_of(abi);
    uint32_t *p = (uint32_t *) a->port_address((void *) (intptr_t) model, port);
    int words = a->ports[port].bytes / 4;
    jlong buf[64];
    jsize n = (*env)->GetArrayLength(env, value);
    if (n > 64) n = 64;
    (*env)->GetLongArrayRegion(env, value, 0, n, buf);
    for (int i = 0; i < words; i++) {
        uint64_t l = (i / 2) < n ? (uint64_t) buf[i / 2] : 0;
        p[i] = (uint32_t) (i % 2 == 0 ? l : l >> 32);
    }
    int rem = a->ports[port].width % 32;
    if (rem) p[words - 1] &= (1u << rem) - 1;
}

JNIEXPORT void JNICALL JNI_FN(getWide)(JNIEnv *env, jclass cls, jlong abi, jlong model, jint port, jlongArray out) {
    (void) cls;
    const tb_model_abi *a = abi_of(abi);
    const uint32_t *p = (const uint32_t *) a->port_address((void *) (intptr_t) model, port);
    int words = a->ports[port].bytes / 4;
    jlong buf[64] = {0};
    for (int i = 0; i < words && i / 2 < 64; i++) {
        buf[i / 2] |= (jlong) ((uint64_t) p[i] << (32 * (i % 2)));
    }
    jsize n = (*env)->GetArrayLength(env, out);
    if (n > (words + 1) / 2) n = (words + 1) / 2;
    (*env)->SetLongArrayRegion(env, out, 0, n, buf);
}

JNIEXPORT void JNICALL JNI_FN(eval)(JNIEnv *env, jclass cls, jlong abi, jlong model) {
    (void) env; (void) cls;
    abi_of(abi)->eval((void *) (intptr_t) model);
}

JNIEXPORT void JNICALL JNI_FN(step)(JNIEnv *env, jclass cls, jlong abi, jlong model, jlong cycles) {
    (void) env; (void) cls;
    abi_of(abi)->step((void *) (intptr_t) model, cycles);
}

JNIEXPORT void JNICALL JNI_FN(reset)(JNIEnv *env, jclass cls, jlong abi, jlong model, jint cycles) {
    (void) env; (void) cls;
    abi_of(abi)->reset((void *) (intptr_t) model, cycles);
}

JNIEXPORT jlong JNICALL JNI_FN(cycle)(JNIEnv *env, jclass cls, jlong abi, jlong model) {
    (void) env; (void) cls;
    return (jlong) abi_of(abi)->cycle((void *) (intptr_t) model);
}

JNIEXPORT jint JNICALL JNI_FN(traceOpen)(JNIEnv *env, jclass cls, jlong abi, jlong model, jstring path,
                                         jlong period_ps) {
    (void) cls;
    const char *p = (*env)->GetStringUTFChars(env, path, NULL);
    jint rc = abi_of(abi)->trace_open((void *) (intptr_t) model, p, (int64_t) period_ps);
    if (rc != 0) snprintf(last_error, sizeof last_error, "cannot open waveform %s", p);
    (*env)->ReleaseStringUTFChars(env, path, p);
    return rc;
}

JNIEXPORT void JNICALL JNI_FN(traceClose)(JNIEnv *env, jclass cls, jlong abi, jlong model) {
    (void) env; (void) cls;
    abi_of(abi)->trace_close((void *) (intptr_t) model);
}

JNIEXPORT jlong JNICALL JNI_FN(benchLoop)(JNIEnv *env, jclass cls, jlong abi, jlong model, jint in, jint out, jlong n) {
    (void) env; (void) cls;
    return (jlong) abi_of(abi)->bench_loop((void *) (intptr_t) model, in, out, n);
}

JNIEXPORT jint JNICALL JNI_FN(coverageWrite)(JNIEnv *env, jclass cls, jlong abi, jlong model, jstring path) {
    (void) cls;
    if (!path) return abi_of(abi)->coverage_write((void *) (intptr_t) model, NULL);
    const char *p = (*env)->GetStringUTFChars(env, path, NULL);
    jint rc = abi_of(abi)->coverage_write((void *) (intptr_t) model, p);
    if (rc == -1) snprintf(last_error, sizeof last_error, "cannot write coverage to %s", p);
    (*env)->ReleaseStringUTFChars(env, path, p);
    return rc;
}
