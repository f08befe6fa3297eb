// libfido2 in the client: the device part of a security-key ceremony (see securitykey.h).
#include "securitykey.h"

#include <fido.h>

#include <algorithm>
#include <cstring>

namespace gh::keys {

namespace {

// RAII for libfido2's handles: each has a *_free(T**) that tolerates null.
struct DevDeleter {
    void operator()(fido_dev_t* p) const {
        if (p) {
            fido_dev_close(p);
            fido_dev_free(&p);
        }
    }
};
struct CredDeleter {
    void operator()(fido_cred_t* p) const { fido_cred_free(&p); }
};
struct AssertDeleter {
    void operator()(fido_assert_t* p) const { fido_assert_free(&p); }
};
struct InfoDeleter {
    void operator()(fido_cbor_info_t* p) const { fido_cbor_info_free(&p); }
};
using DevPtr = std::unique_ptr<fido_dev_t, DevDeleter>;
using CredPtr = std::unique_ptr<fido_cred_t, CredDeleter>;
using AssertPtr = std::unique_ptr<fido_assert_t, AssertDeleter>;
using InfoPtr = std::unique_ptr<fido_cbor_info_t, InfoDeleter>;

constexpr int kCoseEs256 = -7;
constexpr int kCoseEdDsa = -8;

// A NUL-terminated copy of the PIN in locked, wiped memory: libfido2 takes a C string.
struct PinString {
    SecureBuffer buffer;
    explicit PinString(const SecureBuffer* pin) {
        if (pin) {
            buffer = SecureBuffer(pin->size() + 1);
            if (pin->size())
                std::memcpy(buffer.data(), pin->data(), pin->size());
        }
    }
    const char* get() const { return buffer.isEmpty() ? nullptr : buffer.chars(); }
};

QByteArray bytes(const unsigned char* p, std::size_t n) {
    return p && n ? QByteArray(reinterpret_cast<const char*>(p), static_cast<qsizetype>(n)) : QByteArray();
}

const unsigned char* ptr(const QByteArray& b) {
    return reinterpret_cast<const unsigned char*>(b.constData());
}

Error cancelledError() {
    return Error{Errc::KeyCancelled, QStringLiteral("Cancelled."), 0};
}

Error buildError(int r) {
    return Error{Errc::Internal,
                 QStringLiteral("cannot build the request (%1)").arg(QString::fromLatin1(fido_strerr(r))), 0};
}

} // namespace

void initialise() {
    static std::once_flag once;
    // U2F fallback would hide a broken GetInfo and bring keys without UV or credential formats the
    // service checks; FIDO2 only (SECURITY.md §C).
    std::call_once(once, [] { fido_init(FIDO_DISABLE_U2F_FALLBACK); });
}

// Every code a person can meet gets a sentence that says what to do; the rest are "the key's
// answer was refused" with the libfido2 name for support.
Error errorOf(int code, int retries) {
    auto e = [code](Errc c, const QString& message) {
        Q_UNUSED(code);
        return Error{c, message, 0};
    };
    switch (code) {
    case FIDO_ERR_NO_CREDENTIALS:
    case FIDO_ERR_INVALID_CREDENTIAL:
        return e(Errc::KeyNotRegistered,
                 QStringLiteral("This security key is not registered to this account. Use a key you added."));
    case FIDO_ERR_CREDENTIAL_EXCLUDED:
        return e(Errc::KeyAlreadyRegistered,
                 QStringLiteral("This security key is already registered to this account. Use another key."));
    case FIDO_ERR_PIN_REQUIRED:
    case FIDO_ERR_UV_BLOCKED: // built-in UV blocked: the key falls back to its PIN
        return e(Errc::KeyPinRequired, QStringLiteral("This security key needs its PIN. Enter the key's PIN."));
    case FIDO_ERR_PIN_INVALID:
    case FIDO_ERR_PIN_AUTH_INVALID:
    case FIDO_ERR_UV_INVALID:
        if (retries == 0)
            return e(Errc::KeyPinBlocked, QStringLiteral("The key's PIN is now blocked after too many wrong tries. "
                                                         "The key must be reset before it can be used again."));
        if (retries > 0)
            return e(Errc::KeyPinWrong,
                     retries == 1
                         ? QStringLiteral("Wrong PIN. 1 try left before the key locks its PIN.")
                         : QStringLiteral("Wrong PIN. %1 tries left before the key locks its PIN.").arg(retries));
        return e(Errc::KeyPinWrong, QStringLiteral("Wrong PIN."));
    case FIDO_ERR_PIN_BLOCKED:
        return e(Errc::KeyPinBlocked, QStringLiteral("The key's PIN is blocked after too many wrong tries. The key "
                                                     "must be reset before it can be used again."));
    case FIDO_ERR_PIN_AUTH_BLOCKED:
        return e(Errc::KeyPinBlocked, QStringLiteral("Too many wrong PINs in a row. Remove the key, insert it again "
                                                     "and retry."));
    case FIDO_ERR_PIN_NOT_SET:
        return e(Errc::KeyRejected, QStringLiteral("This security key has no PIN set, but one is needed. Set a PIN "
                                                   "with the key's own tool first."));
    case FIDO_ERR_PIN_POLICY_VIOLATION:
        return e(Errc::KeyPinWrong, QStringLiteral("The PIN does not meet the key's rules (usually 4 to 63 "
                                                   "characters)."));
    case FIDO_ERR_USER_ACTION_TIMEOUT:
    case FIDO_ERR_ACTION_TIMEOUT:
    case FIDO_ERR_TIMEOUT:
    case FIDO_ERR_UP_REQUIRED:
    case FIDO_ERR_USER_PRESENCE_REQUIRED:
        return e(Errc::KeyTimeout,
                 QStringLiteral("The key was not touched in time. Try again and touch your key when it blinks."));
    case FIDO_ERR_OPERATION_DENIED:
    case FIDO_ERR_NOT_ALLOWED:
        return e(Errc::KeyDenied, QStringLiteral("The security key refused the request (it was declined on the "
                                                 "key)."));
    case FIDO_ERR_KEEPALIVE_CANCEL:
        return e(Errc::KeyCancelled, QStringLiteral("Cancelled."));
    case FIDO_ERR_UNSUPPORTED_ALGORITHM:
        return e(Errc::KeyRejected, QStringLiteral("This security key supports neither ES256 nor EdDSA signatures, "
                                                   "which Gatehouse needs."));
    case FIDO_ERR_KEY_STORE_FULL:
        return e(Errc::KeyRejected, QStringLiteral("The security key's storage is full."));
    case FIDO_ERR_CHANNEL_BUSY:
    case FIDO_ERR_USER_ACTION_PENDING:
    case FIDO_ERR_OPERATION_PENDING:
        return e(Errc::KeyDenied, QStringLiteral("The security key is busy with another request. Try again."));
    case FIDO_ERR_TX:
        // The device stopped answering: it was pulled out (or its node vanished).
        return e(Errc::KeyRemoved, QStringLiteral("The security key was removed. Insert it and try again."));
    case FIDO_ERR_RX:
        return e(Errc::KeyRemoved, QStringLiteral("The security key stopped answering (was it removed?). Insert it "
                                                  "and try again."));
    case FIDO_ERR_RX_NOT_CBOR:
    case FIDO_ERR_RX_INVALID_CBOR:
    case FIDO_ERR_INVALID_CBOR:
    case FIDO_ERR_CBOR_UNEXPECTED_TYPE:
        return e(Errc::KeyRejected, QStringLiteral("The security key sent a malformed answer (%1).")
                                        .arg(QString::fromLatin1(fido_strerr(code))));
    case FIDO_ERR_INVALID_SIG:
        return e(Errc::KeyRejected, QStringLiteral("The security key's signature does not verify."));
    case FIDO_ERR_UNSUPPORTED_OPTION:
        // Asked to verify the user (a PIN or fingerprint) by a key that cannot: no PIN set, none built in.
        return e(Errc::KeyRejected, QStringLiteral("This security key cannot check who is using it (it has no PIN or "
                                                   "fingerprint set up), and this step needs that. Set a PIN with the "
                                                   "key's own tool, or sign in with your password and the key."));
    default:
        break;
    }
    return e(Errc::KeyRejected,
             QStringLiteral("The security key reported an error (%1).").arg(QString::fromLatin1(fido_strerr(code))));
}

// ---- HidTransport --------------------------------------------------------------------------

QList<Fido2DeviceInfo> HidTransport::devices() {
    initialise();
    constexpr std::size_t kMax = 16;
    fido_dev_info_t* list = fido_dev_info_new(kMax);
    if (!list)
        return {};
    std::size_t found = 0;
    QList<Fido2DeviceInfo> out;
    if (fido_dev_info_manifest(list, kMax, &found) == FIDO_OK) {
        for (std::size_t i = 0; i < found; ++i) {
            const fido_dev_info_t* di = fido_dev_info_ptr(list, i);
            Fido2DeviceInfo info;
            info.path = QString::fromUtf8(fido_dev_info_path(di));
            info.manufacturer = QString::fromUtf8(fido_dev_info_manufacturer_string(di));
            info.product = QString::fromUtf8(fido_dev_info_product_string(di));
            out << info;
        }
    }
    fido_dev_info_free(&list, kMax);
    return out;
}

int HidTransport::prepare(fido_dev_t*, const QString&) {
    return FIDO_OK; // libfido2's own hidraw I/O
}

// ---- Device ----------------------------------------------------------------------------------

// An open key. Operations block until the key answers, the timeout passes or cancel() is called
// (from any thread).
class SecurityKeys::Device {
public:
    DevPtr dev;
    QString path;
    bool clientPinSet = false; // a PIN is set: making credentials needs it
    bool builtInUv = false;    // fingerprint or similar
    bool eddsa = false;        // offers EdDSA (alg -8)

    static Result<std::unique_ptr<Device>> open(Fido2Transport& transport, const QString& requested, int timeoutMs) {
        initialise();
        QString path = requested;
        const QList<Fido2DeviceInfo> present = transport.devices();
        if (path.isEmpty()) {
            if (present.isEmpty())
                return Error{Errc::KeyNotFound, QStringLiteral("No security key found. Insert your key and try again."),
                             0};
            path = present.first().path;
        } else if (std::none_of(present.begin(), present.end(),
                                [&](const Fido2DeviceInfo& k) { return k.path == path; })) {
            // Only a key the transport lists is opened: an arbitrary path (e.g. a terminal) could
            // hang the call forever.
            return Error{Errc::KeyNotFound,
                         QStringLiteral("No security key answers at %1. Insert your key and try again.").arg(path), 0};
        }
        auto device = std::make_unique<Device>();
        device->dev.reset(fido_dev_new());
        fido_dev_t* dev = device->dev.get();
        if (!dev)
            return Error{Errc::Internal, QStringLiteral("out of memory"), 0};
        if (int r = transport.prepare(dev, path); r != FIDO_OK)
            return errorOf(r);
        const QByteArray p = path.toUtf8();
        if (int r = fido_dev_open(dev, p.constData()); r != FIDO_OK) {
            // Nothing at that path: report "no key" rather than an I/O code.
            if (r == FIDO_ERR_RX || r == FIDO_ERR_TX || r == FIDO_ERR_INTERNAL || r == FIDO_ERR_INVALID_ARGUMENT)
                return Error{Errc::KeyNotFound,
                             QStringLiteral("No security key answers at %1. Insert your key and try again.").arg(path),
                             0};
            return errorOf(r);
        }
        device->path = path;
        if (!fido_dev_is_fido2(dev))
            return Error{Errc::KeyRejected,
                         QStringLiteral("This key supports only the old U2F protocol; Gatehouse needs a FIDO2 key."),
                         0};
        (void)fido_dev_set_timeout(dev, timeoutMs);
        device->clientPinSet = fido_dev_has_pin(dev);
        device->builtInUv = fido_dev_has_uv(dev);
        InfoPtr info(fido_cbor_info_new());
        if (info && fido_dev_get_cbor_info(dev, info.get()) == FIDO_OK) {
            for (std::size_t i = 0; i < fido_cbor_info_algorithm_count(info.get()); ++i)
                if (fido_cbor_info_algorithm_cose(info.get(), i) == COSE_EDDSA)
                    device->eddsa = true;
        }
        return device;
    }

    int pinRetries() {
        int retries = -1;
        if (fido_dev_get_retry_count(dev.get(), &retries) != FIDO_OK)
            return -1;
        return retries;
    }

    void cancel() { (void)fido_dev_cancel(dev.get()); }

    Result<KeyAttestation> makeCredential(const KeyRegistrationRequest& q, const SecureBuffer* pinIn) {
        CredPtr owned(fido_cred_new());
        fido_cred_t* c = owned.get();
        if (!c)
            return Error{Errc::Internal, QStringLiteral("out of memory"), 0};
        // The first algorithm the service accepts that the key offers: EdDSA when both do
        // (deterministic signatures, no nonce to get wrong), else ES256, which every key has.
        int type = COSE_ES256;
        for (int alg : q.algorithms) {
            if (alg == kCoseEdDsa && eddsa) {
                type = COSE_EDDSA;
                break;
            }
            if (alg == kCoseEs256) {
                type = COSE_ES256;
                break;
            }
        }
        const QByteArray rpId = q.rpId.toUtf8(), rpName = q.rpName.toUtf8(), userName = q.userName.toUtf8(),
                         displayName = (q.displayName.isEmpty() ? q.userName : q.displayName).toUtf8();
        int r = fido_cred_set_type(c, type);
        if (r == FIDO_OK)
            r = fido_cred_set_clientdata_hash(c, ptr(q.clientDataHash),
                                              static_cast<std::size_t>(q.clientDataHash.size()));
        if (r == FIDO_OK)
            r = fido_cred_set_rp(c, rpId.constData(), rpName.constData());
        if (r == FIDO_OK)
            r = fido_cred_set_user(c, ptr(q.userId), static_cast<std::size_t>(q.userId.size()), userName.constData(),
                                   displayName.constData(), nullptr);
        if (r == FIDO_OK)
            r = fido_cred_set_rk(c, FIDO_OPT_OMIT); // server-side credential: nothing stays on the key
        for (const QByteArray& id : q.excludeCredentials)
            if (r == FIDO_OK)
                r = fido_cred_exclude(c, ptr(id), static_cast<std::size_t>(id.size()));
        if (r != FIDO_OK)
            return buildError(r);
        const PinString pin(pinIn);
        r = fido_dev_make_cred(dev.get(), c, pin.get());
        if (r != FIDO_OK)
            return errorOf(r, (r == FIDO_ERR_PIN_INVALID || r == FIDO_ERR_PIN_AUTH_INVALID) ? pinRetries() : -1);
        // What travels back: the key's answer as it is (the service rebuilds and verifies it).
        KeyAttestation out;
        out.format = QString::fromLatin1(fido_cred_fmt(c) ? fido_cred_fmt(c) : "");
        out.algorithm = fido_cred_type(c) == COSE_EDDSA ? kCoseEdDsa : kCoseEs256;
        out.authData = bytes(fido_cred_authdata_ptr(c), fido_cred_authdata_len(c));
        out.attestation = bytes(fido_cred_attstmt_ptr(c), fido_cred_attstmt_len(c));
        out.clientDataHash = bytes(fido_cred_clientdata_hash_ptr(c), fido_cred_clientdata_hash_len(c));
        out.pinSet = clientPinSet;
        out.builtInUv = builtInUv;
        return out;
    }

    Result<KeyAssertion> getAssertion(const KeyAssertionRequest& q, const SecureBuffer* pinIn) {
        AssertPtr owned(fido_assert_new());
        fido_assert_t* a = owned.get();
        if (!a)
            return Error{Errc::Internal, QStringLiteral("out of memory"), 0};
        const QByteArray rpId = q.rpId.toUtf8();
        int r = fido_assert_set_rp(a, rpId.constData());
        if (r == FIDO_OK)
            r = fido_assert_set_clientdata_hash(a, ptr(q.clientDataHash),
                                                static_cast<std::size_t>(q.clientDataHash.size()));
        if (r == FIDO_OK)
            r = fido_assert_set_up(a, FIDO_OPT_TRUE);
        // UV is asked for only when the service needs it; a PIN (when the key insists on one) gives
        // UV too.
        if (r == FIDO_OK)
            r = fido_assert_set_uv(a, q.userVerification && !pinIn ? FIDO_OPT_TRUE : FIDO_OPT_OMIT);
        for (const QByteArray& id : q.allowCredentials)
            if (r == FIDO_OK)
                r = fido_assert_allow_cred(a, ptr(id), static_cast<std::size_t>(id.size()));
        if (r != FIDO_OK)
            return buildError(r);
        const PinString pin(pinIn);
        r = fido_dev_get_assert(dev.get(), a, pin.get());
        if (r != FIDO_OK)
            return errorOf(r, (r == FIDO_ERR_PIN_INVALID || r == FIDO_ERR_PIN_AUTH_INVALID) ? pinRetries() : -1);
        if (fido_assert_count(a) != 1)
            return Error{Errc::KeyRejected,
                         QStringLiteral("The security key's answer was refused: it holds %1 signatures instead of one.")
                             .arg(fido_assert_count(a)),
                         0};
        KeyAssertion out;
        out.credentialId = bytes(fido_assert_id_ptr(a, 0), fido_assert_id_len(a, 0));
        out.authData = bytes(fido_assert_authdata_ptr(a, 0), fido_assert_authdata_len(a, 0));
        out.signature = bytes(fido_assert_sig_ptr(a, 0), fido_assert_sig_len(a, 0));
        out.userHandle = bytes(fido_assert_user_id_ptr(a, 0), fido_assert_user_id_len(a, 0));
        out.clientDataHash = bytes(fido_assert_clientdata_hash_ptr(a), fido_assert_clientdata_hash_len(a));
        return out;
    }
};

// ---- SecurityKeys -----------------------------------------------------------------------------

struct SecurityKeys::Impl {
    HidTransport hid;
    Fido2Transport* transport = nullptr;
    // The device an operation is waiting on, so cancel() from another thread reaches it.
    std::mutex activeLock;
    Device* active = nullptr;
    bool cancelRequested = false; // Cancel pressed before the device was open (or while it was)
};

SecurityKeys::SecurityKeys(Fido2Transport* transport) : d(std::make_unique<Impl>()) {
    d->transport = transport;
}

SecurityKeys::~SecurityKeys() = default;

void SecurityKeys::setTransport(Fido2Transport* transport) {
    d->transport = transport;
}

Fido2Transport& SecurityKeys::transport() {
    return d->transport ? *d->transport : d->hid;
}

QList<Fido2DeviceInfo> SecurityKeys::devices() {
    return transport().devices();
}

void SecurityKeys::beginCeremony() {
    std::lock_guard g(d->activeLock);
    d->cancelRequested = false;
}

void SecurityKeys::cancel() {
    std::lock_guard g(d->activeLock);
    d->cancelRequested = true;
    if (d->active)
        d->active->cancel();
}

namespace {

// Registers the open device as the one cancel() stops, for the scope of an operation, and tells
// the transport when the device was closed.
template <class Impl, class Dev> class ActiveKey {
public:
    ActiveKey(Impl& d, Fido2Transport& transport, std::unique_ptr<Dev> device)
        : m_d(d), m_transport(transport), m_device(std::move(device)) {
        std::lock_guard g(m_d.activeLock);
        m_d.active = m_device.get();
    }
    bool cancelled() {
        std::lock_guard g(m_d.activeLock);
        return m_d.cancelRequested;
    }
    Dev& device() { return *m_device; }
    ~ActiveKey() {
        {
            std::lock_guard g(m_d.activeLock);
            m_d.active = nullptr;
        }
        const QString path = m_device->path;
        m_device.reset();
        m_transport.closed(path);
    }
    ActiveKey(const ActiveKey&) = delete;
    ActiveKey& operator=(const ActiveKey&) = delete;

private:
    Impl& m_d;
    Fido2Transport& m_transport;
    std::unique_ptr<Dev> m_device;
};

} // namespace

// Opens the key, registers it for cancel() and runs `operation` on it; the transport hears when
// the device was closed (also after a failed open).
template <class R, class Operation>
Result<R> SecurityKeys::onDevice(const QString& path, int timeoutMs, Operation operation) {
    auto device = Device::open(transport(), path, timeoutMs);
    if (!device) {
        transport().closed(path);
        return device.error();
    }
    ActiveKey<Impl, Device> active(*d, transport(), std::move(device.value()));
    if (active.cancelled())
        return cancelledError();
    return operation(active.device());
}

Result<KeyAttestation> SecurityKeys::makeCredential(const QString& path, const KeyRegistrationRequest& request,
                                                    const SecureBuffer* pin) {
    return onDevice<KeyAttestation>(path, request.timeoutMs,
                                    [&](Device& key) { return key.makeCredential(request, pin); });
}

Result<KeyAssertion> SecurityKeys::getAssertion(const QString& path, const KeyAssertionRequest& request,
                                                const SecureBuffer* pin) {
    return onDevice<KeyAssertion>(path, request.timeoutMs, [&](Device& key) { return key.getAssertion(request, pin); });
}

} // namespace gh::keys
