// Argon2id password hashing (PHC strings) and passphrase key derivation, through libsodium.
// SECURITY.md ST-01: per-user 16-byte random salt (libsodium draws it), parameters in the string,
// rehash when the policy parameters rise, constant-time verification inside libsodium.
#pragma once

#include "securebuffer.h"

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <optional>

namespace gh {

struct Argon2Params {
    unsigned long long opsLimit = 3;       // t (passes)
    std::size_t memLimitBytes = 64u << 20; // m
    // DESIGN.md floor: never below t=2, m=19 MiB.
    static constexpr unsigned long long kMinOps = 2;
    static constexpr std::size_t kMinMem = 19u << 20;
    bool meetsFloor() const { return opsLimit >= kMinOps && memLimitBytes >= kMinMem; }
    static Argon2Params policyDefault() { return {}; }
    // Cheap parameters for unit tests that do not measure hashing; never used by the apps.
    static Argon2Params testing() { return {1, 8u << 10}; }
};

namespace passwordhash {

// Returns the PHC string ("$argon2id$v=19$m=…,t=…,p=1$salt$tag"), or nullopt when memory is short.
std::optional<QByteArray> hash(const SecureBuffer& password, const Argon2Params& params);
bool verify(const QByteArray& phc, const SecureBuffer& password);
bool needsRehash(const QByteArray& phc, const Argon2Params& params);
// A valid PHC string at `params` for a password nobody knows: verifying against it costs the same
// as a real verification, so unknown users take as long as known ones (RL-04).
QByteArray dummyHash(const Argon2Params& params);

// Tests only: `observer(context)` runs in the calling thread before every hash() and verify(), so
// a test can check what the caller holds while Argon2id runs (issue 10: never the facade lock).
// Null (the default) turns it off. Set it while no other thread hashes.
using RunObserver = void (*)(void* context);
void observeRunsForTesting(RunObserver observer, void* context);

// Raw Argon2id key derivation (for the vault passphrase fallback); salt must be 16 bytes.
std::optional<SecureBuffer> deriveKey(const SecureBuffer& passphrase, const QByteArray& salt,
                                      const Argon2Params& params, std::size_t keyBytes = 32);

} // namespace passwordhash
} // namespace gh
