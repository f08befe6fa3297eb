// Security keys at the seat: the client's half of a FIDO2 ceremony (DESIGN.md, "Trust boundary
// and processes"; SECURITY.md FIDO-01…07, §C). The service (gatehoused) begins a ceremony — a
// fresh challenge it keeps, the allow or exclude list — and verifies the key's answer against what
// it stored; this code, in the process the person sits at, runs libfido2 against the key in
// between: device listing, open, make credential / get assertion, the PIN, the touch (bounded by
// the request's timeout) and cancel (fido_dev_cancel from another thread). This file and
// securitykey.cpp are the only client code that includes <fido.h>; they never see the vault.
//
// The sequence begin (service) → key (here) → finish (service) is runEnrollment / runAssertion,
// written against any facade with the begin/finish/abort calls: gh::Client (over D-Bus) in the
// programs, gh::Gatehouse's FactorsService / LoginService in core tests.
#pragma once

#include "crypto/securebuffer.h"
#include "errors.h"
#include "fido2transport.h"
#include "types.h"

#include <QList>
#include <QString>

#include <memory>
#include <mutex>

namespace gh::keys {

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

// The keys at this seat and the ceremonies on them. One operation at a time per instance; cancel()
// may come from any thread.
class SecurityKeys {
public:
    // `transport` null: the hidraw devices (HidTransport). Not owned.
    explicit SecurityKeys(Fido2Transport* transport = nullptr);
    ~SecurityKeys();
    SecurityKeys(const SecurityKeys&) = delete;
    SecurityKeys& operator=(const SecurityKeys&) = delete;

    void setTransport(Fido2Transport* transport); // null: hidraw
    Fido2Transport& transport();

    // The keys attached now; cheap enough to poll about twice a second.
    QList<Fido2DeviceInfo> devices();

    // A new ceremony starts: a Cancel from an earlier one does not carry over. A Cancel from now on
    // (also while the service is being asked, or the device opened) stops this one.
    void beginCeremony();
    // Asks the key at `path` (empty: the first key present; otherwise one of devices(), never an
    // arbitrary file) to make a credential / sign. `pin` only after Errc::KeyPinRequired; it is
    // copied into locked, wiped memory for libfido2 and never kept.
    Result<KeyAttestation> makeCredential(const QString& path, const KeyRegistrationRequest& request,
                                          const SecureBuffer* pin);
    Result<KeyAssertion> getAssertion(const QString& path, const KeyAssertionRequest& request, const SecureBuffer* pin);
    // Stops an operation that waits for a touch (any thread): it returns Errc::KeyCancelled.
    void cancel();

    class Device;

private:
    template <class R, class Operation> Result<R> onDevice(const QString& path, int timeoutMs, Operation operation);
    struct Impl;
    std::unique_ptr<Impl> d;
};

// begin (service) → key (here) → finish (service); a key failure is reported to the service
// (abort), which audits it and answers with the error to show.
template <class Facade>
Result<FactorInfo> runEnrollment(Facade& facade, SecurityKeys& keys, Session& session, const QString& devicePath,
                                 const QString& name, const SecureBuffer* pin) {
    keys.beginCeremony();
    auto request = facade.beginSecurityKeyEnrollment(session, name);
    if (!request)
        return request.error();
    auto made = keys.makeCredential(devicePath, *request, pin);
    if (!made)
        return facade.abortSecurityKeyEnrollment(session, request->ceremonyId, made.error());
    return facade.finishSecurityKeyEnrollment(session, request->ceremonyId, *made);
}

template <class Facade>
Result<Session> runAssertion(Facade& facade, SecurityKeys& keys, const QString& pendingId, const QString& devicePath,
                             const SecureBuffer* pin) {
    keys.beginCeremony();
    auto request = facade.beginSecurityKeyAssertion(pendingId);
    if (!request)
        return request.error();
    auto got = keys.getAssertion(devicePath, *request, pin);
    if (!got)
        return facade.abortSecurityKeyAssertion(pendingId, request->ceremonyId, got.error());
    return facade.completeLoginWithKeyAssertion(pendingId, request->ceremonyId, *got);
}

} // namespace gh::keys
