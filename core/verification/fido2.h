// FIDO2 security keys through libfido2 (SECURITY.md FIDO-01…FIDO-07, §B.6, §C). This header and
// fido2.cpp are the only places that know libfido2: everything else sees RAII objects, plain
// Qt types and typed errors (Errc::Key…) whose detail is a message for people.
//
// A ceremony has three parts so the facade can run the slow middle one without its lock:
//   1. the facade builds the request (fresh challenge, allow/exclude list) under its lock;
//   2. Device::makeCredential / getAssertion talk to the key (user touch; may take seconds,
//      bounded by the device timeout and cancellable from another thread with Device::cancel);
//   3. the facade verifies the returned Credential / Assertion under its lock and stores state.
// Step 3 does no device I/O: verification is pure libfido2 + OpenSSL work on the reply.
#pragma once

#include "../crypto/securebuffer.h"
#include "../errors.h"
#include "fido2transport.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <cstdint>
#include <memory>
#include <mutex>

namespace gh::fido2 {

// COSE algorithm identifiers we accept (FIDO-01 allow-list).
inline constexpr int kCoseEs256 = -7;
inline constexpr int kCoseEdDsa = -8;
inline constexpr int kChallengeBytes = 32; // ≥16 required (FIDO-01); 32 = one SHA-256 block
inline constexpr int kMaxCredentialIdBytes = 1023;
inline constexpr int kDefaultTimeoutMs = 30000; // waiting for a touch

// authenticatorData flags (WebAuthn §6.1).
inline constexpr std::uint8_t kFlagUp = 0x01;
inline constexpr std::uint8_t kFlagUv = 0x04;
inline constexpr std::uint8_t kFlagBe = 0x08;
inline constexpr std::uint8_t kFlagBs = 0x10;

QString algorithmName(int cose); // "ES256", "EdDSA"

// Calls fido_init(FIDO_DISABLE_U2F_FALLBACK) once per process (thread-safe). CTAP1/U2F-only keys
// are not supported: they cannot do user verification or report a usable credential format.
void initialise();

// The typed error for a libfido2 return code (positive: CTAP status from the key; negative:
// libfido2's own). `retries` fills "N tries left" for a wrong PIN when known (>= 0).
Error errorOf(int fidoCode, int retries = -1);

// Production transport: USB/NFC keys libfido2 finds through hidraw.
class HidTransport final : public Fido2Transport {
public:
    QList<Fido2DeviceInfo> devices() override;
    int prepare(fido_dev_t* dev, const QString& path) override;
};

// What the key says about itself (GetInfo).
struct DeviceFacts {
    QString path;
    bool clientPinSet = false; // a PIN is set: making credentials needs it
    bool builtInUv = false;    // fingerprint or similar
    bool eddsa = false;        // offers EdDSA (alg -8)
    int maxCredentialIdBytes = 0;
};

struct CreateRequest {
    QString rpId;
    QString rpName;
    QByteArray userId; // opaque user handle (random per account key, never the name)
    QString userName;
    QByteArray clientDataHash; // SHA-256 of the client data holding the fresh challenge
    QList<QByteArray> exclude; // the account's credential ids
    const SecureBuffer* pin = nullptr;
};

struct GetRequest {
    QString rpId;
    QByteArray clientDataHash;
    QList<QByteArray> allow; // this user's credential ids (FIDO-02)
    bool requireUv = false;
    const SecureBuffer* pin = nullptr;
};

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

// A credential as the key returned it: untrusted until verify() passes.
class Credential {
public:
    Credential();
    ~Credential();
    Credential(Credential&&) noexcept;
    Credential& operator=(Credential&&) noexcept;
    // Attestation by format (x5c → fido_cred_verify; packed self → fido_cred_verify_self; none →
    // rpIdHash and flags checked here), then for every format: rpIdHash = SHA-256(rpId), UP = 1,
    // allowed algorithm, BE/BS consistent and device-bound, id ≤ 1023 bytes.
    Result<VerifiedCredential> verify(const QString& rpId, const QByteArray& clientDataHash) const;

private:
    friend class Device;
    struct Impl;
    std::unique_ptr<Impl> d;
};

// An assertion as the key returned it: untrusted until verify() passes.
class Assertion {
public:
    Assertion();
    ~Assertion();
    Assertion(Assertion&&) noexcept;
    Assertion& operator=(Assertion&&) noexcept;
    QByteArray credentialId() const; // of the (single) statement, empty when there is none
    // rpIdHash, UP = 1 (fido_assert_set_up TRUE, FIDO-03), UV when required, BE=0/BS=0 and the
    // signature over authData || clientDataHash with the stored key.
    Result<VerifiedAssertion> verify(const QString& rpId, const QByteArray& clientDataHash, int algorithm,
                                     const QByteArray& publicKey, bool requireUv) const;

private:
    friend class Device;
    struct Impl;
    std::unique_ptr<Impl> d;
};

// An open key. Operations block until the key answers, the timeout passes or cancel() is called
// (from any thread).
class Device {
public:
    ~Device();
    Device(const Device&) = delete;
    Device& operator=(const Device&) = delete;

    // Opens `path` (empty: the first device the transport lists). Errc::KeyNotFound when none.
    static Result<std::unique_ptr<Device>> open(Fido2Transport& transport, const QString& path,
                                                int timeoutMs = kDefaultTimeoutMs);
    const DeviceFacts& facts() const;

    Result<Credential> makeCredential(const CreateRequest& request);
    Result<Assertion> getAssertion(const GetRequest& request);
    // PIN retries left, or -1 when the key does not say.
    int pinRetries();
    // Asks the key to stop waiting for a touch; the blocked call returns Errc::KeyCancelled.
    void cancel();

private:
    Device();
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace gh::fido2
