#include "passwordhash.h"

#include <sodium.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <utility>

namespace gh::passwordhash {

namespace {
std::atomic<RunObserver> g_observer{nullptr};
void* g_observerContext = nullptr;

void observeRun() {
    if (const RunObserver observer = g_observer.load(std::memory_order_acquire))
        observer(g_observerContext);
}
} // namespace

void observeRunsForTesting(RunObserver observer, void* context) {
    g_observerContext = context;
    g_observer.store(observer, std::memory_order_release);
}

std::optional<QByteArray> hash(const SecureBuffer& password, const Argon2Params& params) {
    observeRun();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.chars(), password.size(), params.opsLimit, params.memLimitBytes,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return std::nullopt;
    return QByteArray(out);
}

bool verify(const QByteArray& phc, const SecureBuffer& password) {
    observeRun();
    // libsodium parses the parameters from the string and compares the tag in constant time.
    return crypto_pwhash_str_verify(phc.constData(), password.chars(), password.size()) == 0;
}

bool needsRehash(const QByteArray& phc, const Argon2Params& params) {
    // Only a rise matters: a string at stronger parameters than the policy is kept.
    const int rc = crypto_pwhash_str_needs_rehash(phc.constData(), params.opsLimit, params.memLimitBytes);
    if (rc <= 0)
        return rc < 0; // malformed strings always get a fresh hash
    unsigned long long m = 0, t = 0, p = 0;
    if (std::sscanf(phc.constData(), "$argon2id$v=19$m=%llu,t=%llu,p=%llu$", &m, &t, &p) != 3)
        return true;
    return m * 1024ull < params.memLimitBytes || t < params.opsLimit;
}

QByteArray dummyHash(const Argon2Params& params) {
    static std::mutex lock;
    static std::map<std::pair<unsigned long long, std::size_t>, QByteArray> cache;
    std::lock_guard guard(lock);
    auto& slot = cache[{params.opsLimit, params.memLimitBytes}];
    if (slot.isEmpty()) {
        SecureBuffer random(32);
        randombytes_buf(random.data(), random.size());
        slot = hash(random, params).value_or(QByteArray());
    }
    return slot;
}

std::optional<SecureBuffer> deriveKey(const SecureBuffer& passphrase, const QByteArray& salt,
                                      const Argon2Params& params, std::size_t keyBytes) {
    if (salt.size() != crypto_pwhash_SALTBYTES)
        return std::nullopt;
    SecureBuffer key(keyBytes);
    if (crypto_pwhash(key.data(), key.size(), passphrase.chars(), passphrase.size(),
                      reinterpret_cast<const unsigned char*>(salt.constData()), params.opsLimit, params.memLimitBytes,
                      crypto_pwhash_ALG_ARGON2ID13) != 0)
        return std::nullopt;
    return key;
}

} // namespace gh::passwordhash
