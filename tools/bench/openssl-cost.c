/*
 * CPU time of the OpenSSL work a .NET 10 TLS server repeats on every mutual-TLS connection and nginx
 * does once (docs/benchmarks.md, "Allocations and counted work per connection"): a new SSL_CTX with its
 * cipher lists, certificate and key; and the client-certificate chain .NET's X509Chain builds, which
 * also verifies the CA's self-signature (X509_V_FLAG_CHECK_SS_SIGNATURE). Process CPU time, not wall time.
 *
 *   gcc -O2 tools/bench/openssl-cost.c -o /tmp/openssl-cost -lssl -lcrypto   # libssl-dev
 *   taskset -c 0 /tmp/openssl-cost PKI_DIR SERVER_NAME CLIENT_NAME [ROUNDS]
 */
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void *read_pem(const char *dir, const char *name, int key)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "openssl-cost: cannot read %s\n", path);
        exit(2);
    }
    void *value = key ? (void *)PEM_read_PrivateKey(f, NULL, NULL, NULL) : (void *)PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    if (value == NULL) {
        fprintf(stderr, "openssl-cost: %s is not a PEM %s\n", path, key ? "private key" : "certificate");
        exit(2);
    }
    return value;
}

static void report(const char *what, double started, int rounds)
{
    printf("%-72s %7.1f us\n", what, (cpu_seconds() - started) / rounds * 1e6);
}

static void verify_chain(X509 *ca, X509 *leaf, unsigned long flags)
{
    X509_STORE *store = X509_STORE_new();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    X509_STORE_add_cert(store, ca);
    X509_STORE_CTX_init(ctx, store, leaf, NULL);
    X509_STORE_CTX_set_flags(ctx, flags);
    if (X509_verify_cert(ctx) != 1) {
        fprintf(stderr, "openssl-cost: the client certificate does not chain to the CA\n");
        exit(1);
    }
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: openssl-cost PKI_DIR SERVER_NAME CLIENT_NAME [ROUNDS]\n");
        return 2;
    }

    int rounds = argc > 4 ? atoi(argv[4]) : 2000;
    char name[1024];
    snprintf(name, sizeof name, "issued/%s/cert.pem", argv[2]);
    X509 *cert = read_pem(argv[1], name, 0);
    snprintf(name, sizeof name, "issued/%s/key.pem", argv[2]);
    EVP_PKEY *key = read_pem(argv[1], name, 1);
    snprintf(name, sizeof name, "issued/%s/cert.pem", argv[3]);
    X509 *leaf = read_pem(argv[1], name, 0);
    X509 *ca = read_pem(argv[1], "ca.crt", 0);

    double started = cpu_seconds();
    for (int i = 0; i < rounds; i++) {
        SSL_CTX_free(SSL_CTX_new(TLS_server_method()));
    }
    report("SSL_CTX_new + SSL_CTX_free", started, rounds);

    /* What .NET does per connection without a cached context (AEAD lists as TlsCipherPolicy orders them). */
    started = cpu_seconds();
    for (int i = 0; i < rounds; i++) {
        SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
        SSL_CTX_set_cipher_list(ctx, "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305");
        SSL_CTX_set_ciphersuites(ctx, "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256");
        SSL_CTX_use_certificate(ctx, cert);
        SSL_CTX_use_PrivateKey(ctx, key);
        SSL_CTX_check_private_key(ctx);
        SSL_free(SSL_new(ctx));
        SSL_CTX_free(ctx);
    }
    report("new context with ciphers, certificate, key, then SSL_new (per connection)", started, rounds);

    SSL_CTX *kept = SSL_CTX_new(TLS_server_method());
    started = cpu_seconds();
    for (int i = 0; i < rounds; i++) {
        SSL_free(SSL_new(kept));
    }
    report("SSL_new on a kept context (nginx)", started, rounds);
    SSL_CTX_free(kept);

    started = cpu_seconds();
    for (int i = 0; i < rounds; i++) {
        verify_chain(ca, leaf, X509_V_FLAG_CHECK_SS_SIGNATURE);
    }
    report("client chain with the CA's self-signature checked (.NET X509Chain)", started, rounds);

    started = cpu_seconds();
    for (int i = 0; i < rounds; i++) {
        verify_chain(ca, leaf, 0);
    }
    report("client chain, leaf signature only (OpenSSL's default, nginx)", started, rounds);
    return 0;
}
