// A software CTAP2 authenticator for the test suites (SECURITY.md §C). The REAL libfido2 drives
// it through fido_dev_set_io_functions + fido_dev_set_transport_functions, so everything above
// the HID framing runs as with a USB key: CTAPHID INIT, canonical CBOR, ClientPIN (protocols 1
// and 2), attestation, assertion signatures. Knobs simulate user behaviour and faults.
//
// Test-only: the credential private keys live in plain memory and save() writes them out.
#pragma once

#include "fido2transport.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <cstdint>
#include <memory>

namespace gh::test {

struct SoftFidoOptions {
    enum class Attestation { None, PackedSelf, PackedX5c };
    Attestation attestation = Attestation::PackedSelf;
    bool builtInUv = false;   // built-in UV (e.g. fingerprint): options "uv": true; sets UV when asked
    bool pinSet = false;      // clientPin set: MakeCredential/GetAssertion need pinUvAuthParam or PIN_REQUIRED
    QByteArray pin = "1234";  // the PIN when pinSet
    int pinRetries = 8;       // decremented on a wrong PIN; 0 → PIN_BLOCKED
    bool eddsa = false;       // also offer EdDSA (alg -8) in GetInfo algorithms; ES256 always
    bool pinProtocol2 = true; // GetInfo pinUvAuthProtocols [2,1] (libfido2 then uses 2); false: [1]
    // With pinSet, GetAssertion without pinUvAuthParam fails with PIN_REQUIRED. false: like most
    // real keys, it succeeds with UP only (UV flag clear).
    bool assertionNeedsPin = true;
    // faults
    bool attached = true;          // false: devices() is empty and open fails (no key present)
    bool userDenies = false;       // CTAP2_ERR_OPERATION_DENIED (0x27)
    bool neverTouch = false;       // CTAP2_ERR_USER_ACTION_TIMEOUT (0x2f) (reply at once; no real waiting)
    bool clearUpFlag = false;      // authData UP bit cleared
    bool wrongRpIdHash = false;    // authData rpIdHash of another RP id
    bool corruptSignature = false; // flip a bit in the assertion signature
    bool malformedCbor = false;    // reply with broken CBOR to MakeCredential/GetAssertion
    // >=0: after that many tx/rx messages (counted from when this value was last changed) the
    // device "disappears": io fails, attached=false.
    int removeAfterMessages = -1;
};

class SoftFido final : public gh::Fido2Transport {
public:
    explicit SoftFido(SoftFidoOptions options = {}, QString path = QStringLiteral("softfido:0"));
    ~SoftFido() override;
    SoftFido(SoftFido&&) noexcept;
    SoftFido& operator=(SoftFido&&) noexcept;
    SoftFido(const SoftFido&) = delete; // use cloneKey() to get a second key with the same secrets
    SoftFido& operator=(const SoftFido&) = delete;

    // Change knobs between operations (not while another thread is inside a libfido2 call on this
    // key: the transport reads them under its lock, this reference does not take it).
    SoftFidoOptions& options();
    QString path() const;

    QList<Fido2DeviceInfo> devices() override; // {path, "Gatehouse tests", "SoftFIDO"} when attached
    // Installs io + transport functions bound to this instance; path must be path() (else
    // FIDO_ERR_INVALID_ARGUMENT). The last prepare() for a path wins, so a key and its clone can
    // share a path and be used one after the other.
    int prepare(fido_dev_t* dev, const QString& path) override;

    // A copy with the same credentials, keys and counter (a "cloned key"); both then sign
    // independently, so a relying party can see the counter go backwards.
    SoftFido cloneKey() const;
    void setSignCount(uint32_t count);
    uint32_t signCount() const;
    int credentialCount() const;

    // State (options, credentials, keys, counter, PIN) for cross-process CLI tests via a file.
    QByteArray save() const;
    static SoftFido load(const QByteArray& data);

    int makeCredentialCalls() const;
    int getAssertionCalls() const;

    struct State;

private:
    explicit SoftFido(std::shared_ptr<State> state);
    std::shared_ptr<State> m_d;
};

} // namespace gh::test
