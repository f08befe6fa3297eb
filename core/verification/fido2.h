// FIDO2 security keys: the service's half (SECURITY.md FIDO-01…FIDO-07, §B.6, §C). The CTAP
// ceremony itself (libfido2 on /dev/hidraw*, the PIN, the touch, cancel) runs in the client at the
// seat (client/securitykey.h); the service hands it a request (fresh challenge, allow or exclude
// list, core/facade/securitykeys.cpp) and verifies the answer here, against what it issued and stored. This
// header and fido2.cpp are core's only contact with libfido2, and they never open a device:
// verification is pure libfido2 + OpenSSL work on the reply.
#pragma once

#include "../errors.h"
#include "../types.h"

#include <QByteArray>
#include <QString>

#include <cstdint>

namespace gh::fido2 {

// COSE algorithm identifiers we accept (FIDO-01 allow-list).
inline constexpr int kCoseEs256 = -7;
inline constexpr int kCoseEdDsa = -8;
inline constexpr int kChallengeBytes = 32; // ≥16 required (FIDO-01); 32 = one SHA-256 block
inline constexpr int kMaxCredentialIdBytes = 1023;

// authenticatorData flags (WebAuthn §6.1).
inline constexpr std::uint8_t kFlagUp = 0x01;
inline constexpr std::uint8_t kFlagUv = 0x04;
inline constexpr std::uint8_t kFlagBe = 0x08;
inline constexpr std::uint8_t kFlagBs = 0x10;

QString algorithmName(int cose); // "ES256", "EdDSA"

// A credential after every enrollment check passed (FIDO-01): what the vault stores.
struct VerifiedCredential {
    QByteArray id;
    QByteArray publicKey; // ES256: x||y (64 bytes); EdDSA: 32 bytes
    int algorithm = kCoseEs256;
    std::uint32_t signCount = 0;
    std::uint8_t flags = 0;
    QByteArray aaguid; // 16 bytes
    QString format;    // "none", "packed" …
    bool selfAttested = false;
};

// An assertion after every check passed (FIDO-02/03); the facade still checks the sign count.
struct VerifiedAssertion {
    std::uint32_t signCount = 0;
    std::uint8_t flags = 0;
};

// Rebuilds the key's attestation in libfido2 with the service's own expectations (rp id, the
// clientDataHash it issued) and checks it: the client data hash it answers, attestation by format
// (x5c → fido_cred_verify; packed self → fido_cred_verify_self; none → rpIdHash and flags checked
// here), then for every format rpIdHash = SHA-256(rpId), UP = 1, allowed algorithm, BE/BS
// consistent and device-bound, id ≤ 1023 bytes.
Result<VerifiedCredential> verifyAttestation(const KeyAttestation& attestation, const QString& rpId,
                                             const QByteArray& clientDataHash);

// Rebuilds the assertion with the service's expectations and checks rpIdHash, UP = 1
// (fido_assert_set_up TRUE, FIDO-03), UV when required, BE=0/BS=0 and the signature over
// authData || clientDataHash with the stored key. The caller checks the credential id and the
// sign count (FIDO-02, FIDO-04).
Result<VerifiedAssertion> verifyAssertion(const KeyAssertion& assertion, const QString& rpId,
                                          const QByteArray& clientDataHash, int algorithm, const QByteArray& publicKey,
                                          bool requireUv);

} // namespace gh::fido2
