// libfido2, the service's half: verification of what a key answered in the client (see fido2.h).
// Nothing here opens a device.
#include "fido2.h"

#include "../crypto/primitives.h"
#include "cborbounds.h"

#include <fido.h>
#include <fido/eddsa.h>
#include <fido/es256.h>

#include <memory>
#include <mutex>

namespace gh::fido2 {

namespace {

// RAII for libfido2's handles: each has a *_free(T**) that tolerates null.
struct CredDeleter {
    void operator()(fido_cred_t* p) const { fido_cred_free(&p); }
};
struct AssertDeleter {
    void operator()(fido_assert_t* p) const { fido_assert_free(&p); }
};
struct Es256Deleter {
    void operator()(es256_pk_t* p) const { es256_pk_free(&p); }
};
struct EddsaDeleter {
    void operator()(eddsa_pk_t* p) const { eddsa_pk_free(&p); }
};
using CredPtr = std::unique_ptr<fido_cred_t, CredDeleter>;
using AssertPtr = std::unique_ptr<fido_assert_t, AssertDeleter>;
using Es256Ptr = std::unique_ptr<es256_pk_t, Es256Deleter>;
using EddsaPtr = std::unique_ptr<eddsa_pk_t, EddsaDeleter>;

void initialise() {
    static std::once_flag once;
    std::call_once(once, [] { fido_init(FIDO_DISABLE_U2F_FALLBACK); });
}

QByteArray bytes(const unsigned char* p, std::size_t n) {
    return p && n ? QByteArray(reinterpret_cast<const char*>(p), static_cast<qsizetype>(n)) : QByteArray();
}

const unsigned char* ptr(const QByteArray& b) {
    return reinterpret_cast<const unsigned char*>(b.constData());
}

std::size_t len(const QByteArray& b) {
    return static_cast<std::size_t>(b.size());
}

Error rejected(const QString& why) {
    return Error{Errc::KeyRejected, QStringLiteral("The security key's answer was refused: %1.").arg(why), 0};
}

// Sizes far above what any authenticator sends (a credential id is at most 1,023 bytes, a COSE
// key about 100, an attestation certificate chain a few KiB): the client is not trusted.
constexpr qsizetype kMaxAuthData = 4096;
constexpr qsizetype kMaxAttestation = 32768;
constexpr qsizetype kMaxSignature = 512;

// Authenticator data as the client sends it, a CBOR byte string, checked before libfido2 parses
// it (cborbounds.h): one definite byte string of exactly its length, the fixed 37 bytes (rp id
// hash, flags, counter), the attested credential's id within bounds, and every CBOR item after
// (the credential's COSE key, extensions) bounded.
bool plausibleAuthData(const QByteArray& wrapped) {
    if (wrapped.size() > kMaxAuthData + 8)
        return false;
    const QByteArray raw = cbor::byteStringContent(wrapped);
    constexpr qsizetype kFixed = 37, kAttestedHead = 16 + 2;
    if (raw.size() < kFixed)
        return false;
    qsizetype rest = kFixed;
    if (static_cast<unsigned char>(raw.at(32)) & 0x40) { // AT: attested credential data follows
        if (raw.size() < kFixed + kAttestedHead)
            return false;
        const qsizetype idLength = (qsizetype(static_cast<unsigned char>(raw.at(kFixed + 16))) << 8) |
                                   static_cast<unsigned char>(raw.at(kFixed + 17));
        rest = kFixed + kAttestedHead + idLength;
        if (rest > raw.size())
            return false;
    }
    return cbor::boundedSequence(raw.mid(rest));
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

Result<VerifiedCredential> verifyAttestation(const KeyAttestation& in, const QString& rpId,
                                             const QByteArray& clientDataHash) {
    initialise();
    // The checks that need no parsing first, each with its own message (FIDO-01).
    if (in.clientDataHash != clientDataHash)
        return rejected(QStringLiteral("it answers another challenge"));
    if (in.algorithm != kCoseEs256 && in.algorithm != kCoseEdDsa)
        return rejected(QStringLiteral("unsupported algorithm %1").arg(in.algorithm));
    CredPtr owned(fido_cred_new());
    fido_cred_t* c = owned.get();
    if (!c)
        return Error{Errc::Internal, QStringLiteral("out of memory"), 0};
    // The service's own expectations, never the client's: its rp id and the hash it issued.
    const QByteArray rp = rpId.toUtf8(), format = in.format.toUtf8();
    if (fido_cred_set_type(c, in.algorithm == kCoseEs256 ? COSE_ES256 : COSE_EDDSA) != FIDO_OK ||
        fido_cred_set_rp(c, rp.constData(), nullptr) != FIDO_OK ||
        fido_cred_set_clientdata_hash(c, ptr(clientDataHash), len(clientDataHash)) != FIDO_OK)
        return Error{Errc::Internal, QStringLiteral("cannot set attestation expectations"), 0};
    if (!plausibleAuthData(in.authData) || fido_cred_set_authdata(c, ptr(in.authData), len(in.authData)) != FIDO_OK)
        return rejected(QStringLiteral("its authenticator data is malformed"));
    if (fido_cred_set_fmt(c, format.constData()) != FIDO_OK)
        return rejected(QStringLiteral("unsupported attestation format '%1'").arg(in.format.left(32)));
    if (!in.attestation.isEmpty() && (in.attestation.size() > kMaxAttestation || !cbor::boundedItem(in.attestation) ||
                                      fido_cred_set_attstmt(c, ptr(in.attestation), len(in.attestation)) != FIDO_OK))
        return rejected(QStringLiteral("its attestation statement is malformed"));

    VerifiedCredential v;
    v.format = in.format;
    v.algorithm = fido_cred_type(c);
    v.id = bytes(fido_cred_id_ptr(c), fido_cred_id_len(c));
    v.publicKey = bytes(fido_cred_pubkey_ptr(c), fido_cred_pubkey_len(c));
    v.aaguid = bytes(fido_cred_aaguid_ptr(c), fido_cred_aaguid_len(c));
    v.signCount = fido_cred_sigcount(c);
    v.flags = fido_cred_flags(c);
    const QByteArray authData = bytes(fido_cred_authdata_raw_ptr(c), fido_cred_authdata_raw_len(c));

    // The checks every format needs, done here rather than trusting a format's verifier (for "none"
    // nothing else would do them). FIDO-01.
    if (authData.size() < 37 || authData.left(32) != crypto::sha256(rp))
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

Result<VerifiedAssertion> verifyAssertion(const KeyAssertion& in, const QString& rpId, const QByteArray& clientDataHash,
                                          int algorithm, const QByteArray& publicKey, bool requireUv) {
    initialise();
    if (in.clientDataHash != clientDataHash)
        return rejected(QStringLiteral("it answers another challenge"));
    AssertPtr owned(fido_assert_new());
    fido_assert_t* a = owned.get();
    if (!a)
        return Error{Errc::Internal, QStringLiteral("out of memory"), 0};
    // The expectations are the service's own (FIDO-03: UP, and UV when required, must be TRUE
    // here, or fido_assert_verify would not check the flags at all).
    const QByteArray rp = rpId.toUtf8();
    if (fido_assert_set_rp(a, rp.constData()) != FIDO_OK ||
        fido_assert_set_clientdata_hash(a, ptr(clientDataHash), len(clientDataHash)) != FIDO_OK ||
        fido_assert_set_up(a, FIDO_OPT_TRUE) != FIDO_OK ||
        fido_assert_set_uv(a, requireUv ? FIDO_OPT_TRUE : FIDO_OPT_OMIT) != FIDO_OK ||
        fido_assert_set_count(a, 1) != FIDO_OK)
        return Error{Errc::Internal, QStringLiteral("cannot set assertion expectations"), 0};
    if (!plausibleAuthData(in.authData) ||
        fido_assert_set_authdata(a, 0, ptr(in.authData), len(in.authData)) != FIDO_OK)
        return rejected(QStringLiteral("its authenticator data is malformed"));
    if (in.signature.isEmpty() || in.signature.size() > kMaxSignature ||
        fido_assert_set_sig(a, 0, ptr(in.signature), len(in.signature)) != FIDO_OK)
        return rejected(QStringLiteral("it holds no signature"));
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
        if (pk && es256_pk_from_ptr(pk.get(), ptr(publicKey), len(publicKey)) == FIDO_OK)
            r = fido_assert_verify(a, 0, COSE_ES256, pk.get());
    } else if (algorithm == kCoseEdDsa) {
        EddsaPtr pk(eddsa_pk_new());
        if (pk && eddsa_pk_from_ptr(pk.get(), ptr(publicKey), len(publicKey)) == FIDO_OK)
            r = fido_assert_verify(a, 0, COSE_EDDSA, pk.get());
    }
    if (r == FIDO_ERR_INVALID_PARAM) // libfido2: rpIdHash or flags did not match
        return rejected(QStringLiteral("it was made for another relying party or lacks a flag"));
    if (r != FIDO_OK)
        return rejected(QStringLiteral("the signature does not verify with the registered key (%1)")
                            .arg(QString::fromLatin1(fido_strerr(r))));
    return v;
}

} // namespace gh::fido2
