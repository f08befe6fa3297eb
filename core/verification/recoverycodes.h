// Saved recovery codes (SECURITY.md RC-01…RC-03): 10 codes of 80 bits each (16 Base32 symbols,
// shown as four groups of four to read aloud), stored as salted Argon2id hashes (they are below
// 112 bits), single use.
#pragma once

#include "../crypto/passwordhash.h"
#include "../crypto/random.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace gh::recoverycodes {

constexpr int kCount = 10;
constexpr int kSymbols = 16; // × 5 bits = 80 bits
// Hashing parameters for codes: the OWASP floor (each login may try all unused codes).
inline Argon2Params hashParams() {
    return {Argon2Params::kMinOps, Argon2Params::kMinMem};
}

// "ABCD-EFGH-JKMN-PQRS" (Crockford-style alphabet without I, L, O, U).
SecureBuffer generate(RandomSource& random);
// Upper-cases, ignores spaces and dashes, maps look-alikes (O→0, I/L→1) and returns the code in
// its printed form "XXXX-XXXX-XXXX-XXXX" (the form that is hashed); nothing if malformed.
std::optional<SecureBuffer> canonical(const SecureBuffer& typed);

} // namespace gh::recoverycodes
