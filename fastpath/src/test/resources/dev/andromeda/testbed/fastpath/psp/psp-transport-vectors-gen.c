/* Regenerate: gcc -o gen psp-transport-vectors-gen.c -lcrypto && ./gen > psp-transport-vectors.txt */
/* Independent PSP transport-mode vector generator (OpenSSL 3 EVP), for the Java tests.
 * Written from the PSP spec facts; the cleartext is google/psp pcap/v4_cleartext.pcap's packet. */
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>

static const uint8_t MK0[32] = {0x34,0x44,0x8a,0x06,0x42,0x92,0x60,0x1b,0x11,0xa0,0x97,0x8f,0x56,0xa2,0xd3,0x4c,
  0xf3,0xfc,0x35,0xed,0xe1,0xa6,0xbc,0x04,0xf8,0xdb,0x3e,0x52,0x43,0xa2,0xb0,0xca};
static const uint8_t MK1[32] = {0x56,0x39,0x52,0x56,0x5d,0x3a,0x78,0xae,0x77,0x3e,0xc1,0xb7,0x79,0xf2,0xf2,0xd9,
  0x9f,0x4a,0x7f,0x53,0xa6,0xfb,0xb9,0xb0,0x7d,0x5b,0x71,0xf3,0x93,0x64,0xd7,0x39};

static void cmac(const uint8_t *key, const uint8_t *in, size_t n, uint8_t *out) {
  EVP_MAC *mac = EVP_MAC_fetch(NULL, "CMAC", NULL);
  EVP_MAC_CTX *c = EVP_MAC_CTX_new(mac);
  OSSL_PARAM p[] = {OSSL_PARAM_construct_utf8_string("cipher", "AES-256-CBC", 0), OSSL_PARAM_construct_end()};
  size_t len;
  EVP_MAC_init(c, key, 32, p); EVP_MAC_update(c, in, n); EVP_MAC_final(c, out, &len, 16);
  EVP_MAC_CTX_free(c); EVP_MAC_free(mac);
}

static int derive(uint32_t spi, int keybytes, uint8_t *key) {
  const uint8_t *mk = (spi & 0x80000000u) ? MK1 : MK0;
  for (int ctr = 1; ctr <= keybytes / 16; ctr++) {
    uint8_t b[16] = {0,0,0,(uint8_t)ctr, 'P','v',(uint8_t)(keybytes == 16 ? '0' : '1'),0,
      spi>>24, spi>>16, spi>>8, spi, 0,0, (keybytes*8)>>8, (keybytes*8)&0xff};
    cmac(mk, b, 16, key + 16*(ctr-1));
  }
  return keybytes;
}

static uint16_t csum(const uint8_t *p, int n) {
  uint32_t s = 0;
  for (int i = 0; i < n; i += 2) s += (p[i] << 8) | (i + 1 < n ? p[i+1] : 0);
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return ~s & 0xffff;
}

static int cleartext(uint8_t *f) {
  const uint8_t hdr[] = {0x00,0x88,0x99,0xaa,0xbb,0x00, 0x00,0x22,0x33,0x44,0x55,0x00, 0x08,0x00,
    0x45,0x00,0x05,0x8c, 0,0, 0x40,0x00, 0x40,0x11, 0,0, 10,0,0,1, 10,0,0,2,
    0x2b,0x67, 0x56,0xce, 0x05,0x78, 0,0};
  memcpy(f, hdr, sizeof hdr);
  for (int i = 0; i < 1392; i++) f[42 + i] = (uint8_t) i;
  uint16_t c = csum(f + 14, 20); f[24] = c >> 8; f[25] = c;
  /* UDP checksum with pseudo header */
  uint8_t ph[12 + 1400]; memcpy(ph, f + 26, 8); ph[8] = 0; ph[9] = 17; ph[10] = 0x05; ph[11] = 0x78;
  memcpy(ph + 12, f + 34, 1400);
  uint16_t u = csum(ph, 12 + 1400); f[40] = u >> 8; f[41] = u;
  return 1434;
}

static void hex(FILE *o, const char *k, const uint8_t *p, int n) {
  fprintf(o, "%s = ", k); for (int i = 0; i < n; i++) fprintf(o, "%02x", p[i]); fprintf(o, "\n");
}

static void vector(FILE *o, const char *name, uint32_t spi, int version, int off, int vc, uint64_t cookie,
                   uint64_t iv) {
  uint8_t in[2000], out[2100], key[32];
  int n = cleartext(in);
  int keybytes = derive(spi, (version & 1) ? 32 : 16, key);
  int ihl = 20, l2 = 14, vcb = vc ? 8 : 0, hlen = 16 + vcb, ins = 8 + hlen;
  int total = (in[16] << 8) | in[17], payload = total - ihl, ntotal = total + ins + 16;
  memcpy(out, in, l2 + ihl);
  uint8_t proto = in[l2 + 9];
  out[16] = ntotal >> 8; out[17] = ntotal; out[23] = 17; out[24] = out[25] = 0;
  uint16_t c = csum(out + 14, 20); out[24] = c >> 8; out[25] = c;
  uint8_t *udp = out + l2 + ihl;
  udp[0] = in[l2 + ihl]; udp[1] = in[l2 + ihl + 1];       /* source port kept */
  udp[2] = 1000 >> 8; udp[3] = 1000 & 0xff; udp[4] = (ntotal - ihl) >> 8; udp[5] = ntotal - ihl; udp[6] = udp[7] = 0;
  uint8_t *psp = udp + 8;
  psp[0] = proto; psp[1] = vc ? 2 : 1; psp[2] = off; psp[3] = (version << 2) | (vc ? 2 : 0) | 1;
  for (int i = 0; i < 4; i++) psp[4 + i] = spi >> (24 - 8*i);
  for (int i = 0; i < 8; i++) psp[8 + i] = iv >> (56 - 8*i);
  if (vc) for (int i = 0; i < 8; i++) psp[16 + i] = cookie >> (56 - 8*i);
  memcpy(psp + hlen, in + l2 + ihl, payload);
  int after = vcb + payload;               /* bytes between base header and ICV */
  int encrypts = version < 2;
  int aad = encrypts ? 16 + off*4 : 16 + after;
  int text = encrypts ? after - off*4 : 0;
  uint8_t *icv = psp + 16 + after;
  EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new(); int len;
  EVP_EncryptInit_ex(x, keybytes == 16 ? EVP_aes_128_gcm() : EVP_aes_256_gcm(), NULL, key, psp + 4);
  EVP_EncryptUpdate(x, NULL, &len, psp, aad);
  uint8_t tmp[2000];
  if (text) { EVP_EncryptUpdate(x, tmp, &len, psp + aad, text); memcpy(psp + aad, tmp, text); }
  EVP_EncryptFinal_ex(x, tmp, &len);
  EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_GET_TAG, 16, icv);
  EVP_CIPHER_CTX_free(x);
  int outlen = l2 + ntotal;
  fprintf(o, "name = %s\nspi = %08x\nversion = %d\ncryptOffset = %d\nvc = %d\ncookie = %016llx\niv = %016llx\n",
          name, spi, version, off, vc, (unsigned long long) cookie, (unsigned long long) iv);
  hex(o, "derivedKey", key, keybytes);
  hex(o, "cleartext", in, n);
  hex(o, "psp", out, outlen);
  fprintf(o, "\n");
}

int main(void) {
  FILE *o = stdout;
  fprintf(o, "# PSP transport-mode known answers, generated by an independent C program on OpenSSL 3.0 (EVP CMAC,\n"
             "# EVP AES-GCM) from the google/psp reference's test inputs: master keys and SPIs from cfg/*.cfg,\n"
             "# cleartext = the packet of pcap/v4_cleartext.pcap (pcap/v4_cleartext_pcap.txt), IV counter from 1.\n"
             "# Differs from google/psp's psp_encrypt only in the outer UDP source port (kept here, XOR of the\n"
             "# inner ports there), which is outside the AAD. The GMAC vectors (versions 2, 3) are not covered by\n"
             "# the reference, and assume the derivation label of their key length (Pv0 / Pv1).\n\n");
  vector(o, "cfg/encrypt_transport_crypt_off_128", 0x9A345678u, 0, 1, 0, 0, 1);
  vector(o, "cfg/encrypt_transport_crypt_off_256", 0x9A345678u, 1, 1, 0, 0, 1);
  vector(o, "cfg/encrypt_transport_crypt_off_128_vc", 0x9A345678u, 0, 3, 1, 0, 1);
  vector(o, "cfg/encrypt_transport_no_crypt_off_256", 0x1A345678u, 1, 0, 0, 0, 1);
  vector(o, "gmac-128 spi 9A345678 crypt offset 1", 0x9A345678u, 2, 1, 0, 0, 2);
  vector(o, "gmac-256 spi 1A345678 with cookie", 0x1A345678u, 3, 0, 1, 0x0000000000ABCDEFull, 3);
  return 0;
}
