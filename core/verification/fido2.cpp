// libfido2 wrapper: the only file that includes <fido.h> (see fido2.h for the ceremony split).
#include "fido2.h"

#include "../crypto/primitives.h"

#include <fido.h>
#include <fido/eddsa.h>
#include <fido/es256.h>

#include <cstring>

namespace gh::fido2 {

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
struct Es256Deleter {
    void operator()(es256_pk_t* p) const { es256_pk_free(&p); }
};
struct EddsaDeleter {
    void operator()(eddsa_pk_t* p) const { eddsa_pk_free(&p); }
};
using DevPtr = std::unique_ptr<fido_dev_t, DevDeleter>;
using CredPtr = std::unique_ptr<fido_cred_t, CredDeleter>;
using AssertPtr = std::unique_ptr<fido_assert_t, AssertDeleter>;
using InfoPtr = std::unique_ptr<fido_cbor_info_t, InfoDeleter>;
using Es256Ptr = std::unique_ptr<es256_pk_t, Es256Deleter>;
using EddsaPtr = std::unique_ptr<eddsa_pk_t, EddsaDeleter>;

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

Error rejected(const QString& why) {
    return Error{Errc::KeyRejected, QStringLiteral("The security key's answer was refused: %1.").arg(why), 0};
}

} // namespace

QString algorithmName(int cose) {
    switch (cose) {
    case kCoseEs256:
        return QStringLiteral("ES256");
    case kCoseEdDsa:
        return QStringLiteral("EdDSA");
    default:
        return QStringLiteral("COSE %1").arg(cose);
    }
}

void initialise() {
    static std::once_flag once;
    // U2F fallback would hide a broken GetInfo and bring keys without UV or credential formats we
    // check; FIDO2 only (SECURITY.md §C).
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

// ---- Credential -------------------------------------------------------------------------------

struct Credential::Impl {
    CredPtr cred{fido_cred_new()};
};

Credential::Credential() : d(std::make_unique<Impl>()) {}
Credential::~Credential() = default;
Credential::Credential(Credential&&) noexcept = default;
Credential& Credential::operator=(Credential&&) noexcept = default;

Result<VerifiedCredential> Credential::verify(const QString& rpId, const QByteArray& clientDataHash) const {
    fido_cred_t* c = d->cred.get();
    if (!c)
        return Error{Errc::Internal, QStringLiteral("out of memory"), 0};
    VerifiedCredential v;
    v.format = QString::fromLatin1(fido_cred_fmt(c) ? fido_cred_fmt(c) : "");
    v.algorithm = fido_cred_type(c);
    v.id = bytes(fido_cred_id_ptr(c), fido_cred_id_len(c));
    v.publicKey = bytes(fido_cred_pubkey_ptr(c), fido_cred_pubkey_len(c));
    v.aaguid = bytes(fido_cred_aaguid_ptr(c), fido_cred_aaguid_len(c));
    v.signCount = fido_cred_sigcount(c);
    v.flags = fido_cred_flags(c);
    const QByteArray authData = bytes(fido_cred_authdata_raw_ptr(c), fido_cred_authdata_raw_len(c));
    const QByteArray hash = bytes(fido_cred_clientdata_hash_ptr(c), fido_cred_clientdata_hash_len(c));

    // The checks every format needs, done here rather than trusting a format's verifier (for "none"
    // nothing else would do them). FIDO-01.
    if (hash != clientDataHash)
        return rejected(QStringLiteral("it answers another challenge"));
    if (authData.size() < 37 || authData.left(32) != crypto::sha256(rpId.toUtf8()))
        return rejected(QStringLiteral("it was made for another relying party (rpIdHash)"));
    if (!(v.flags & kFlagUp))
        return rejected(QStringLiteral("the key did not confirm a touch (UP flag)"));
    if (v.algorithm != kCoseEs256 && v.algorithm != kCoseEdDsa)
        return rejected(QStringLiteral("unsupported algorithm %1").arg(v.algorithm));
    if (v.id.isEmpty() || v.id.size() > kMaxCredentialIdBytes)
        return rejected(QStringLiteral("credential id of %1 bytes").arg(v.id.size()));
    if (v.publicKey.isEmpty())
        return rejected(QStringLiteral("no public key"));
    // FIDO-05: BS without BE is malformed; a backup-eligible (synced) credential is not a
    // device-bound key, and Gatehouse accepts device-bound keys only (they alone reach AAL3).
    if ((v.flags & kFlagBs) && !(v.flags & kFlagBe))
        return rejected(QStringLiteral("backup state set on a device-bound credential"));
    if (v.flags & kFlagBe)
        return rejected(QStringLiteral("the credential can be synced to other devices (passkey); use a hardware "
                                       "security key"));

    // Attestation by format (SECURITY.md §C, as pam_u2f does).
    int r = FIDO_OK;
    if (fido_cred_x5c_len(c) > 0) {
        r = fido_cred_verify(c); // attestation certificate signs authData || clientDataHash
    } else if (v.format == QLatin1String("packed")) {
        r = fido_cred_verify_self(c); // self attestation: signed with the credential's own key
        v.selfAttested = true;
    } else if (v.format == QLatin1String("none")) {
        r = FIDO_OK; // nothing to verify beyond rpIdHash and flags, checked above
    } else {
        return rejected(QStringLiteral("unsupported attestation format '%1' without a certificate").arg(v.format));
    }
    if (r != FIDO_OK)
        return rejected(
            QStringLiteral("the attestation does not verify (%1)").arg(QString::fromLatin1(fido_strerr(r))));
    return v;
}

// ---- Assertion --------------------------------------------------------------------------------

struct Assertion::Impl {
    AssertPtr assert{fido_assert_new()};
};

Assertion::Assertion() : d(std::make_unique<Impl>()) {}
Assertion::~Assertion() = default;
Assertion::Assertion(Assertion&&) noexcept = default;
Assertion& Assertion::operator=(Assertion&&) noexcept = default;

QByteArray Assertion::credentialId() const {
    fido_assert_t* a = d->assert.get();
    if (!a || fido_assert_count(a) != 1)
        return {};
    return bytes(fido_assert_id_ptr(a, 0), fido_assert_id_len(a, 0));
}

Result<VerifiedAssertion> Assertion::verify(const QString& rpId, const QByteArray& clientDataHash, int algorithm,
                                            const QByteArray& publicKey, bool requireUv) const {
    fido_assert_t* a = d->assert.get();
    if (!a || fido_assert_count(a) != 1)
        return rejected(QStringLiteral("it holds %1 signatures instead of one").arg(a ? fido_assert_count(a) : 0));
    // Pin the expectations on the object being verified (they were set before the device call;
    // setting them again makes this check independent of that code). FIDO-03: UP (and UV when
    // required) must be TRUE here, or fido_assert_verify would not check the flags at all.
    const QByteArray rp = rpId.toUtf8();
    if (fido_assert_set_rp(a, rp.constData()) != FIDO_OK ||
        fido_assert_set_clientdata_hash(a, ptr(clientDataHash), static_cast<std::size_t>(clientDataHash.size())) !=
            FIDO_OK ||
        fido_assert_set_up(a, FIDO_OPT_TRUE) != FIDO_OK ||
        fido_assert_set_uv(a, requireUv ? FIDO_OPT_TRUE : FIDO_OPT_OMIT) != FIDO_OK)
        return Error{Errc::Internal, QStringLiteral("cannot set assertion expectations"), 0};
    VerifiedAssertion v;
    v.flags = fido_assert_flags(a, 0);
    v.signCount = fido_assert_sigcount(a, 0);
    // Explicit flag checks first, so each failure gets its own message.
    if (!(v.flags & kFlagUp))
        return rejected(QStringLiteral("the key did not confirm a touch (UP flag)"));
    if (requireUv && !(v.flags & kFlagUv))
        return rejected(QStringLiteral("the key did not verify its user (UV flag)"));
    if (v.flags & (kFlagBe | kFlagBs)) // stored credentials are device-bound: BE must not change (FIDO-05)
        return rejected(QStringLiteral("the credential now claims to be synced (BE/BS flags)"));
    int r = FIDO_ERR_INVALID_ARGUMENT;
    if (algorithm == kCoseEs256) {
        Es256Ptr pk(es256_pk_new());
        if (pk && es256_pk_from_ptr(pk.get(), ptr(publicKey), static_cast<std::size_t>(publicKey.size())) == FIDO_OK)
            r = fido_assert_verify(a, 0, COSE_ES256, pk.get());
    } else if (algorithm == kCoseEdDsa) {
        EddsaPtr pk(eddsa_pk_new());
        if (pk && eddsa_pk_from_ptr(pk.get(), ptr(publicKey), static_cast<std::size_t>(publicKey.size())) == FIDO_OK)
            r = fido_assert_verify(a, 0, COSE_EDDSA, pk.get());
    }
    if (r == FIDO_ERR_INVALID_PARAM) // libfido2: rpIdHash or flags did not match
        return rejected(QStringLiteral("it was made for another relying party or lacks a flag"));
    if (r != FIDO_OK)
        return rejected(QStringLiteral("the signature does not verify with the registered key (%1)")
                            .arg(QString::fromLatin1(fido_strerr(r))));
    return v;
}

// ---- Device -----------------------------------------------------------------------------------

struct Device::Impl {
    DevPtr dev;
    DeviceFacts facts;
};

Device::Device() : d(std::make_unique<Impl>()) {}
Device::~Device() = default;

Result<std::unique_ptr<Device>> Device::open(Fido2Transport& transport, const QString& requested, int timeoutMs) {
    initialise();
    QString path = requested;
    const QList<Fido2DeviceInfo> present = transport.devices();
    if (path.isEmpty()) {
        if (present.isEmpty())
            return Error{Errc::KeyNotFound, QStringLiteral("No security key found. Insert your key and try again."), 0};
        path = present.first().path;
    }
    std::unique_ptr<Device> device(new Device);
    device->d->dev.reset(fido_dev_new());
    fido_dev_t* dev = device->d->dev.get();
    if (!dev)
        return Error{Errc::Internal, QStringLiteral("out of memory"), 0};
    if (int r = transport.prepare(dev, path); r != FIDO_OK)
        return errorOf(r);
    const QByteArray p = path.toUtf8();
    if (int r = fido_dev_open(dev, p.constData()); r != FIDO_OK) {
        // Nothing at that path: report "no key" rather than an I/O code.
        if (r == FIDO_ERR_RX || r == FIDO_ERR_TX || r == FIDO_ERR_INTERNAL || r == FIDO_ERR_INVALID_ARGUMENT)
            return Error{Errc::KeyNotFound,
                         QStringLiteral("No security key answers at %1. Insert your key and try again.").arg(path), 0};
        return errorOf(r);
    }
    if (!fido_dev_is_fido2(dev))
        return Error{Errc::KeyRejected,
                     QStringLiteral("This key supports only the old U2F protocol; Gatehouse needs a FIDO2 key."), 0};
    (void)fido_dev_set_timeout(dev, timeoutMs);
    DeviceFacts& f = device->d->facts;
    f.path = path;
    f.clientPinSet = fido_dev_has_pin(dev);
    f.builtInUv = fido_dev_has_uv(dev);
    InfoPtr info(fido_cbor_info_new());
    if (info && fido_dev_get_cbor_info(dev, info.get()) == FIDO_OK) {
        for (std::size_t i = 0; i < fido_cbor_info_algorithm_count(info.get()); ++i)
            if (fido_cbor_info_algorithm_cose(info.get(), i) == COSE_EDDSA)
                f.eddsa = true;
        f.maxCredentialIdBytes = static_cast<int>(fido_cbor_info_maxcredidlen(info.get()));
    }
    return device;
}

const DeviceFacts& Device::facts() const {
    return d->facts;
}

int Device::pinRetries() {
    int retries = -1;
    if (fido_dev_get_retry_count(d->dev.get(), &retries) != FIDO_OK)
        return -1;
    return retries;
}

void Device::cancel() {
    (void)fido_dev_cancel(d->dev.get());
}

Result<Credential> Device::makeCredential(const CreateRequest& q) {
    Credential out;
    fido_cred_t* c = out.d->cred.get();
    if (!c)
        return Error{Errc::Internal, QStringLiteral("out of memory"), 0};
    // EdDSA when the key offers it (deterministic signatures, no nonce to get wrong), else ES256.
    const int type = d->facts.eddsa ? COSE_EDDSA : COSE_ES256;
    const QByteArray rpId = q.rpId.toUtf8(), rpName = q.rpName.toUtf8(), userName = q.userName.toUtf8();
    int r = fido_cred_set_type(c, type);
    if (r == FIDO_OK)
        r = fido_cred_set_clientdata_hash(c, ptr(q.clientDataHash), static_cast<std::size_t>(q.clientDataHash.size()));
    if (r == FIDO_OK)
        r = fido_cred_set_rp(c, rpId.constData(), rpName.constData());
    if (r == FIDO_OK)
        r = fido_cred_set_user(c, ptr(q.userId), static_cast<std::size_t>(q.userId.size()), userName.constData(),
                               userName.constData(), nullptr);
    if (r == FIDO_OK)
        r = fido_cred_set_rk(c, FIDO_OPT_OMIT); // server-side credential: nothing stays on the key
    for (const QByteArray& id : q.exclude)
        if (r == FIDO_OK)
            r = fido_cred_exclude(c, ptr(id), static_cast<std::size_t>(id.size()));
    if (r != FIDO_OK)
        return Error{Errc::Internal,
                     QStringLiteral("cannot build the request (%1)").arg(QString::fromLatin1(fido_strerr(r))), 0};
    const PinString pin(q.pin);
    r = fido_dev_make_cred(d->dev.get(), c, pin.get());
    if (r != FIDO_OK)
        return errorOf(r, (r == FIDO_ERR_PIN_INVALID || r == FIDO_ERR_PIN_AUTH_INVALID) ? pinRetries() : -1);
    return out;
}

Result<Assertion> Device::getAssertion(const GetRequest& q) {
    Assertion out;
    fido_assert_t* a = out.d->assert.get();
    if (!a)
        return Error{Errc::Internal, QStringLiteral("out of memory"), 0};
    const QByteArray rpId = q.rpId.toUtf8();
    int r = fido_assert_set_rp(a, rpId.constData());
    if (r == FIDO_OK)
        r = fido_assert_set_clientdata_hash(a, ptr(q.clientDataHash),
                                            static_cast<std::size_t>(q.clientDataHash.size()));
    if (r == FIDO_OK)
        r = fido_assert_set_up(a, FIDO_OPT_TRUE);
    // UV is asked for only when policy needs it; a PIN (when the key insists on one) gives UV too.
    if (r == FIDO_OK)
        r = fido_assert_set_uv(a, q.requireUv && !q.pin ? FIDO_OPT_TRUE : FIDO_OPT_OMIT);
    for (const QByteArray& id : q.allow)
        if (r == FIDO_OK)
            r = fido_assert_allow_cred(a, ptr(id), static_cast<std::size_t>(id.size()));
    if (r != FIDO_OK)
        return Error{Errc::Internal,
                     QStringLiteral("cannot build the request (%1)").arg(QString::fromLatin1(fido_strerr(r))), 0};
    const PinString pin(q.pin);
    r = fido_dev_get_assert(d->dev.get(), a, pin.get());
    if (r != FIDO_OK)
        return errorOf(r, (r == FIDO_ERR_PIN_INVALID || r == FIDO_ERR_PIN_AUTH_INVALID) ? pinRetries() : -1);
    return out;
}

} // namespace gh::fido2
