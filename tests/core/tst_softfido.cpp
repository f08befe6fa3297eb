// The software FIDO2 authenticator (tests/support/softfido.*) driven by the REAL libfido2 1.12
// through its io/transport hooks (SECURITY.md §C). These tests prove the test double is faithful
// enough for the FIDO2 factor's own tests: every attestation format verifies the way §C describes,
// assertions verify with UP/UV checked (FIDO-02, FIDO-03), the PIN path works with both PIN
// protocols including retries and blocking (FIDO-06), a cloned key lags its counter (FIDO-04), and
// each fault knob surfaces as the FIDO_ERR_* (or verify failure) the production code must map.
#include "softfido.h"

#include <QCryptographicHash>
#include <QTest>

#include <fido.h>
#include <fido/eddsa.h>
#include <fido/es256.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

using gh::test::SoftFido;
using gh::test::SoftFidoOptions;

namespace {

const char* const kRpId = "gatehouse.test";
const QByteArray kCdh = QByteArray(32, '\x5a'); // a fixed client-data hash: the test is the RP

struct DevFree {
    void operator()(fido_dev_t* d) const {
        fido_dev_close(d);
        fido_dev_free(&d);
    }
};
using Dev = std::unique_ptr<fido_dev_t, DevFree>;
struct CredFree {
    void operator()(fido_cred_t* c) const { fido_cred_free(&c); }
};
using Cred = std::unique_ptr<fido_cred_t, CredFree>;
struct AssertFree {
    void operator()(fido_assert_t* a) const { fido_assert_free(&a); }
};
using Assert = std::unique_ptr<fido_assert_t, AssertFree>;

const unsigned char* u8(const QByteArray& b) {
    return reinterpret_cast<const unsigned char*>(b.constData());
}

// fido_dev_new + SoftFido::prepare + fido_dev_open, as the production wrapper does.
int openDevice(SoftFido& key, Dev& out) {
    Dev dev(fido_dev_new());
    int r = key.prepare(dev.get(), key.path());
    if (r == FIDO_OK)
        r = fido_dev_open(dev.get(), key.path().toUtf8().constData());
    if (r == FIDO_OK)
        out = std::move(dev);
    return r;
}

struct MakeArgs {
    int type = COSE_ES256;
    const char* pin = nullptr;
    fido_opt_t uv = FIDO_OPT_OMIT;
    QList<QByteArray> exclude;
};

int makeCredential(SoftFido& key, Cred& cred, const MakeArgs& args = {}) {
    cred.reset(fido_cred_new());
    const QByteArray userId("user-1");
    if (fido_cred_set_type(cred.get(), args.type) != FIDO_OK ||
        fido_cred_set_clientdata_hash(cred.get(), u8(kCdh), static_cast<size_t>(kCdh.size())) != FIDO_OK ||
        fido_cred_set_rp(cred.get(), kRpId, "Gatehouse") != FIDO_OK ||
        fido_cred_set_user(cred.get(), u8(userId), static_cast<size_t>(userId.size()), "alice", "Alice", nullptr) !=
            FIDO_OK ||
        fido_cred_set_uv(cred.get(), args.uv) != FIDO_OK)
        return FIDO_ERR_INTERNAL;
    for (const QByteArray& id : args.exclude)
        if (fido_cred_exclude(cred.get(), u8(id), static_cast<size_t>(id.size())) != FIDO_OK)
            return FIDO_ERR_INTERNAL;
    Dev dev;
    const int r = openDevice(key, dev);
    return r != FIDO_OK ? r : fido_dev_make_cred(dev.get(), cred.get(), args.pin);
}

QByteArray credId(const fido_cred_t* cred) {
    return QByteArray(reinterpret_cast<const char*>(fido_cred_id_ptr(cred)), static_cast<int>(fido_cred_id_len(cred)));
}

struct AssertArgs {
    const char* pin = nullptr;
    fido_opt_t up = FIDO_OPT_OMIT; // sent to the key; OMIT: the key's default (touch)
    fido_opt_t uv = FIDO_OPT_OMIT;
};

int getAssertion(SoftFido& key, Assert& a, const QByteArray& id, const AssertArgs& args = {}) {
    a.reset(fido_assert_new());
    if (fido_assert_set_rp(a.get(), kRpId) != FIDO_OK ||
        fido_assert_set_clientdata_hash(a.get(), u8(kCdh), static_cast<size_t>(kCdh.size())) != FIDO_OK ||
        fido_assert_allow_cred(a.get(), u8(id), static_cast<size_t>(id.size())) != FIDO_OK ||
        fido_assert_set_up(a.get(), args.up) != FIDO_OK || fido_assert_set_uv(a.get(), args.uv) != FIDO_OK)
        return FIDO_ERR_INTERNAL;
    Dev dev;
    const int r = openDevice(key, dev);
    return r != FIDO_OK ? r : fido_dev_get_assert(dev.get(), a.get(), args.pin);
}

// fido_assert_verify with the credential's public key; UP (and UV) demanded as FIDO-03 says.
int verifyAssertion(fido_assert_t* a, const fido_cred_t* cred, fido_opt_t up = FIDO_OPT_TRUE,
                    fido_opt_t uv = FIDO_OPT_OMIT) {
    if (fido_assert_set_up(a, up) != FIDO_OK || fido_assert_set_uv(a, uv) != FIDO_OK)
        return FIDO_ERR_INTERNAL;
    const int type = fido_cred_type(cred);
    if (type == COSE_EDDSA) {
        eddsa_pk_t* pk = eddsa_pk_new();
        eddsa_pk_from_ptr(pk, fido_cred_pubkey_ptr(cred), fido_cred_pubkey_len(cred));
        const int r = fido_assert_verify(a, 0, COSE_EDDSA, pk);
        eddsa_pk_free(&pk);
        return r;
    }
    es256_pk_t* pk = es256_pk_new();
    es256_pk_from_ptr(pk, fido_cred_pubkey_ptr(cred), fido_cred_pubkey_len(cred));
    const int r = fido_assert_verify(a, 0, COSE_ES256, pk);
    es256_pk_free(&pk);
    return r;
}

int pinRetries(SoftFido& key) {
    Dev dev;
    int retries = -1;
    if (openDevice(key, dev) != FIDO_OK || fido_dev_get_retry_count(dev.get(), &retries) != FIDO_OK)
        return -1;
    return retries;
}

// The authData flags byte and rpIdHash of a credential (what an RP checks itself for fmt none).
uint8_t credFlags(const fido_cred_t* cred) {
    return fido_cred_flags(cred);
}

} // namespace

Q_DECLARE_METATYPE(SoftFidoOptions::Attestation)

class TestSoftFido : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { fido_init(FIDO_DISABLE_U2F_FALLBACK); }

    void devicesAndOpen() {
        SoftFido key;
        const auto devices = key.devices();
        QCOMPARE(devices.size(), 1);
        QCOMPARE(devices.first().path, QStringLiteral("softfido:0"));
        QCOMPARE(devices.first().manufacturer, QStringLiteral("Gatehouse tests"));
        QCOMPARE(devices.first().product, QStringLiteral("SoftFIDO"));

        Dev dev;
        QCOMPARE(openDevice(key, dev), FIDO_OK);
        QVERIFY(fido_dev_is_fido2(dev.get()));
        QVERIFY(!fido_dev_has_pin(dev.get()));
        QVERIFY(!fido_dev_has_uv(dev.get()));
        QCOMPARE(fido_dev_cancel(dev.get()), FIDO_OK); // CTAPHID_CANCEL is accepted

        // The transport refuses a path that is not its own (e.g. a hidraw node).
        fido_dev_t* other = fido_dev_new();
        QCOMPARE(key.prepare(other, QStringLiteral("/dev/hidraw0")), FIDO_ERR_INVALID_ARGUMENT);
        fido_dev_free(&other);
    }

    void noKeyAttached() {
        SoftFidoOptions o;
        o.attached = false;
        SoftFido key(o);
        QVERIFY(key.devices().isEmpty());
        Dev dev;
        QVERIFY(openDevice(key, dev) != FIDO_OK);
        key.options().attached = true; // plugged in
        QCOMPARE(key.devices().size(), 1);
        QCOMPARE(openDevice(key, dev), FIDO_OK);
    }

    void getInfo_data() {
        QTest::addColumn<bool>("eddsa");
        QTest::addColumn<bool>("builtInUv");
        QTest::addColumn<bool>("pinSet");
        QTest::addColumn<bool>("protocol2");
        QTest::newRow("plain") << false << false << false << true;
        QTest::newRow("eddsa+uv") << true << true << false << true;
        QTest::newRow("pin, protocol 1 only") << false << false << true << false;
    }
    void getInfo() {
        QFETCH(bool, eddsa);
        QFETCH(bool, builtInUv);
        QFETCH(bool, pinSet);
        QFETCH(bool, protocol2);
        SoftFidoOptions o;
        o.eddsa = eddsa;
        o.builtInUv = builtInUv;
        o.pinSet = pinSet;
        o.pinProtocol2 = protocol2;
        SoftFido key(o);
        Dev dev;
        QCOMPARE(openDevice(key, dev), FIDO_OK);
        QCOMPARE(fido_dev_has_pin(dev.get()), pinSet);
        QCOMPARE(fido_dev_has_uv(dev.get()), builtInUv);

        fido_cbor_info_t* info = fido_cbor_info_new();
        QCOMPARE(fido_dev_get_cbor_info(dev.get(), info), FIDO_OK);
        QStringList versions;
        for (size_t i = 0; i < fido_cbor_info_versions_len(info); ++i)
            versions << QString::fromUtf8(fido_cbor_info_versions_ptr(info)[i]);
        QCOMPARE(versions, QStringList({QStringLiteral("FIDO_2_0"), QStringLiteral("FIDO_2_1")}));
        QCOMPARE(fido_cbor_info_aaguid_len(info), size_t(16));
        QCOMPARE(fido_cbor_info_maxcredidlen(info), uint64_t(64));
        QCOMPARE(fido_cbor_info_protocols_len(info), size_t(protocol2 ? 2 : 1));
        QCOMPARE(fido_cbor_info_algorithm_count(info), size_t(eddsa ? 2 : 1));
        QCOMPARE(fido_cbor_info_algorithm_cose(info, 0), COSE_ES256);
        if (eddsa)
            QCOMPARE(fido_cbor_info_algorithm_cose(info, 1), COSE_EDDSA);
        fido_cbor_info_free(&info);
    }

    // FIDO-01 and §C: each attestation format verifies the way §C describes, for ES256 and EdDSA;
    // then the new credential signs an assertion that verifies with UP required (FIDO-02/03).
    void enrollAndAssert_data() {
        QTest::addColumn<SoftFidoOptions::Attestation>("attestation");
        QTest::addColumn<int>("type");
        QTest::newRow("none es256") << SoftFidoOptions::Attestation::None << int(COSE_ES256);
        QTest::newRow("packed self es256") << SoftFidoOptions::Attestation::PackedSelf << int(COSE_ES256);
        QTest::newRow("packed x5c es256") << SoftFidoOptions::Attestation::PackedX5c << int(COSE_ES256);
        QTest::newRow("packed self eddsa") << SoftFidoOptions::Attestation::PackedSelf << int(COSE_EDDSA);
        QTest::newRow("packed x5c eddsa") << SoftFidoOptions::Attestation::PackedX5c << int(COSE_EDDSA);
    }
    void enrollAndAssert() {
        QFETCH(SoftFidoOptions::Attestation, attestation);
        QFETCH(int, type);
        SoftFidoOptions o;
        o.attestation = attestation;
        o.eddsa = true;
        SoftFido key(o);
        Cred cred;
        MakeArgs args;
        args.type = type;
        QCOMPARE(makeCredential(key, cred, args), FIDO_OK);
        QCOMPARE(key.credentialCount(), 1);
        QCOMPARE(key.makeCredentialCalls(), 1);
        QCOMPARE(fido_cred_type(cred.get()), type);
        QVERIFY(fido_cred_id_len(cred.get()) >= 32 && fido_cred_id_len(cred.get()) <= 64);
        QCOMPARE(fido_cred_aaguid_len(cred.get()), size_t(16));
        QVERIFY(credFlags(cred.get()) & 0x01);    // UP
        QVERIFY(!(credFlags(cred.get()) & 0x04)); // no UV asked
        QVERIFY(credFlags(cred.get()) & 0x40);    // attested credential data

        switch (attestation) {
        case SoftFidoOptions::Attestation::None: {
            QCOMPARE(QByteArray(fido_cred_fmt(cred.get())), QByteArray("none"));
            QCOMPARE(fido_cred_verify(cred.get()), FIDO_ERR_INVALID_ARGUMENT);
            QCOMPARE(fido_cred_verify_self(cred.get()), FIDO_ERR_INVALID_ARGUMENT);
            // What an RP checks itself for "none": rpIdHash and flags in the raw authData.
            const QByteArray raw(reinterpret_cast<const char*>(fido_cred_authdata_raw_ptr(cred.get())),
                                 static_cast<int>(fido_cred_authdata_raw_len(cred.get())));
            QCOMPARE(raw.left(32), QCryptographicHash::hash(kRpId, QCryptographicHash::Sha256));
            QCOMPARE(raw.at(32) & 0x01, 0x01);
            break;
        }
        case SoftFidoOptions::Attestation::PackedSelf:
            QCOMPARE(QByteArray(fido_cred_fmt(cred.get())), QByteArray("packed"));
            QCOMPARE(fido_cred_x5c_len(cred.get()), size_t(0));
            QCOMPARE(fido_cred_verify_self(cred.get()), FIDO_OK);
            QCOMPARE(fido_cred_verify(cred.get()), FIDO_ERR_INVALID_ARGUMENT);
            break;
        case SoftFidoOptions::Attestation::PackedX5c: {
            QCOMPARE(QByteArray(fido_cred_fmt(cred.get())), QByteArray("packed"));
            QCOMPARE(fido_cred_verify(cred.get()), FIDO_OK);
            QCOMPARE(fido_cred_verify_self(cred.get()), FIDO_ERR_INVALID_ARGUMENT);
            // WebAuthn §8.2.1 packed certificate requirements.
            const unsigned char* p = fido_cred_x5c_ptr(cred.get());
            X509* x = d2i_X509(nullptr, &p, static_cast<long>(fido_cred_x5c_len(cred.get())));
            QVERIFY(x != nullptr);
            QCOMPARE(X509_get_version(x), 2L); // v3
            char ou[64] = {};
            X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_organizationalUnitName, ou, sizeof(ou));
            QCOMPARE(QByteArray(ou), QByteArray("Authenticator Attestation"));
            QCOMPARE(X509_check_ca(x), 0); // basicConstraints CA:FALSE
            X509_free(x);
            break;
        }
        }

        Assert a;
        QCOMPARE(getAssertion(key, a, credId(cred.get())), FIDO_OK);
        QCOMPARE(key.getAssertionCalls(), 1);
        QCOMPARE(fido_assert_count(a.get()), size_t(1));
        QCOMPARE(QByteArray(reinterpret_cast<const char*>(fido_assert_id_ptr(a.get(), 0)),
                            static_cast<int>(fido_assert_id_len(a.get(), 0))),
                 credId(cred.get()));
        QCOMPARE(fido_assert_sigcount(a.get(), 0), 1u);
        QCOMPARE(verifyAssertion(a.get(), cred.get()), FIDO_OK);
        // UV was not performed, so demanding it fails (FIDO-03: only checked when TRUE).
        QCOMPARE(verifyAssertion(a.get(), cred.get(), FIDO_OPT_TRUE, FIDO_OPT_TRUE), FIDO_ERR_INVALID_PARAM);

        QCOMPARE(getAssertion(key, a, credId(cred.get())), FIDO_OK);
        QCOMPARE(fido_assert_sigcount(a.get(), 0), 2u);
        QCOMPARE(key.signCount(), 2u);
    }

    // Built-in UV (fingerprint): UV flag set when asked; a key without UV refuses the option.
    void builtInUv() {
        SoftFidoOptions o;
        o.builtInUv = true;
        SoftFido key(o);
        Cred cred;
        MakeArgs args;
        args.uv = FIDO_OPT_TRUE;
        QCOMPARE(makeCredential(key, cred, args), FIDO_OK);
        QVERIFY(credFlags(cred.get()) & 0x04);
        QCOMPARE(fido_cred_verify_self(cred.get()), FIDO_OK); // cred uv TRUE: UV flag checked
        Assert a;
        AssertArgs aa;
        aa.uv = FIDO_OPT_TRUE;
        QCOMPARE(getAssertion(key, a, credId(cred.get()), aa), FIDO_OK);
        QCOMPARE(verifyAssertion(a.get(), cred.get(), FIDO_OPT_TRUE, FIDO_OPT_TRUE), FIDO_OK);
        // Without asking for UV the flag stays clear.
        QCOMPARE(getAssertion(key, a, credId(cred.get())), FIDO_OK);
        QCOMPARE(verifyAssertion(a.get(), cred.get(), FIDO_OPT_TRUE, FIDO_OPT_TRUE), FIDO_ERR_INVALID_PARAM);

        SoftFido plain;
        QVERIFY(makeCredential(plain, cred, args) != FIDO_OK);
        QCOMPARE(plain.credentialCount(), 0);
    }

    // FIDO-06: the key's PIN with libfido2's own PIN path (ECDH, getPinToken, pinUvAuthParam), for
    // PIN protocol 1 and 2; wrong PIN counts down, a right one resets, zero retries blocks.
    void pin_data() {
        QTest::addColumn<bool>("protocol2");
        QTest::newRow("protocol 1") << false;
        QTest::newRow("protocol 2") << true;
    }
    void pin() {
        QFETCH(bool, protocol2);
        SoftFidoOptions o;
        o.pinSet = true;
        o.pin = "4711";
        o.pinProtocol2 = protocol2;
        SoftFido key(o);
        Cred cred;
        MakeArgs args;
        QCOMPARE(makeCredential(key, cred, args), FIDO_ERR_PIN_REQUIRED);
        args.uv = FIDO_OPT_TRUE; // UV wanted, but the key's only UV is its PIN
        QCOMPARE(makeCredential(key, cred, args), FIDO_ERR_PIN_REQUIRED);
        QCOMPARE(key.credentialCount(), 0);
        args.uv = FIDO_OPT_OMIT;
        args.pin = "4711";
        QCOMPARE(makeCredential(key, cred, args), FIDO_OK);
        QVERIFY(credFlags(cred.get()) & 0x04); // the PIN is user verification
        QCOMPARE(fido_cred_verify_self(cred.get()), FIDO_OK);

        Assert a;
        AssertArgs aa;
        QCOMPARE(getAssertion(key, a, credId(cred.get()), aa), FIDO_ERR_PIN_REQUIRED);
        aa.uv = FIDO_OPT_TRUE;
        QCOMPARE(getAssertion(key, a, credId(cred.get()), aa), FIDO_ERR_PIN_REQUIRED);
        aa.pin = "4711";
        QCOMPARE(getAssertion(key, a, credId(cred.get()), aa), FIDO_OK);
        QCOMPARE(verifyAssertion(a.get(), cred.get(), FIDO_OPT_TRUE, FIDO_OPT_TRUE), FIDO_OK);
        aa.uv = FIDO_OPT_OMIT;

        QCOMPARE(pinRetries(key), 8);
        aa.pin = "0000";
        QCOMPARE(getAssertion(key, a, credId(cred.get()), aa), FIDO_ERR_PIN_INVALID);
        QCOMPARE(pinRetries(key), 7);
        QCOMPARE(key.options().pinRetries, 7);
        aa.pin = "4711";
        QCOMPARE(getAssertion(key, a, credId(cred.get()), aa), FIDO_OK);
        QCOMPARE(pinRetries(key), 8);

        key.options().pinRetries = 1;
        aa.pin = "0000";
        QCOMPARE(getAssertion(key, a, credId(cred.get()), aa), FIDO_ERR_PIN_BLOCKED);
        QCOMPARE(pinRetries(key), 0);
        aa.pin = "4711";
        QCOMPARE(getAssertion(key, a, credId(cred.get()), aa), FIDO_ERR_PIN_BLOCKED);
    }

    // Most real keys sign without the PIN (UP only) when asked to; the knob gives that behaviour.
    void assertionWithoutPin() {
        SoftFidoOptions o;
        o.pinSet = true;
        o.assertionNeedsPin = false;
        SoftFido key(o);
        Cred cred;
        MakeArgs args;
        QCOMPARE(makeCredential(key, cred, args), FIDO_ERR_PIN_REQUIRED); // enrollment still needs it
        args.pin = "1234";
        QCOMPARE(makeCredential(key, cred, args), FIDO_OK);
        Assert a;
        QCOMPARE(getAssertion(key, a, credId(cred.get())), FIDO_OK);
        QCOMPARE(verifyAssertion(a.get(), cred.get()), FIDO_OK);
        QCOMPARE(verifyAssertion(a.get(), cred.get(), FIDO_OPT_TRUE, FIDO_OPT_TRUE), FIDO_ERR_INVALID_PARAM);
    }

    // fido_dev_get_touch_begin/status ("touch the key you want to use"): a zero-length
    // pinUvAuthParam asks only for a touch; no credential is made.
    void touchToSelect_data() {
        QTest::addColumn<bool>("pinSet");
        QTest::addColumn<bool>("userDenies");
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("touched");
        QTest::newRow("no pin") << false << false << int(FIDO_OK) << 1;
        QTest::newRow("pin set") << true << false << int(FIDO_OK) << 1;
        QTest::newRow("denied") << false << true << int(FIDO_ERR_OPERATION_DENIED) << 0;
    }
    void touchToSelect() {
        QFETCH(bool, pinSet);
        QFETCH(bool, userDenies);
        QFETCH(int, status);
        QFETCH(int, touched);
        SoftFidoOptions o;
        o.pinSet = pinSet;
        o.userDenies = userDenies;
        SoftFido key(o);
        Dev dev;
        QCOMPARE(openDevice(key, dev), FIDO_OK);
        QCOMPARE(fido_dev_get_touch_begin(dev.get()), FIDO_OK);
        int wasTouched = -1;
        QCOMPARE(fido_dev_get_touch_status(dev.get(), &wasTouched, 0), status);
        QCOMPARE(wasTouched, touched);
        QCOMPARE(key.credentialCount(), 0);
    }

    void pinNotSet() {
        SoftFido key;
        Cred cred;
        MakeArgs args;
        args.pin = "1234";
        QCOMPARE(makeCredential(key, cred, args), FIDO_ERR_PIN_NOT_SET);
    }

    // FIDO-01: a credential already on the key is excluded; an unknown one finds nothing.
    void excludeAndUnknown() {
        SoftFido key;
        Cred cred;
        QCOMPARE(makeCredential(key, cred), FIDO_OK);
        const QByteArray id = credId(cred.get());
        Cred again;
        MakeArgs args;
        args.exclude = {QByteArray(40, 'x'), id};
        QCOMPARE(makeCredential(key, again, args), FIDO_ERR_CREDENTIAL_EXCLUDED);
        args.exclude = {QByteArray(40, 'x')};
        QCOMPARE(makeCredential(key, again, args), FIDO_OK);
        QCOMPARE(key.credentialCount(), 2);

        Assert a;
        QCOMPARE(getAssertion(key, a, QByteArray(48, 'y')), FIDO_ERR_NO_CREDENTIALS);
        // Another key does not know this credential ("This key is not registered").
        SoftFido otherKey;
        QCOMPARE(getAssertion(otherKey, a, id), FIDO_ERR_NO_CREDENTIALS);
    }

    // Each fault knob, as the FIDO2 factor's tests will meet it.
    void faults_data() {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<int>("makeResult");   // fido_dev_make_cred
        QTest::addColumn<int>("assertResult"); // fido_dev_get_assert
        QTest::addColumn<int>("verifyResult"); // fido_assert_verify with UP required (when assert OK)
        QTest::newRow("userDenies") << QStringLiteral("userDenies") << int(FIDO_ERR_OPERATION_DENIED)
                                    << int(FIDO_ERR_OPERATION_DENIED) << 0;
        QTest::newRow("neverTouch") << QStringLiteral("neverTouch") << int(FIDO_ERR_USER_ACTION_TIMEOUT)
                                    << int(FIDO_ERR_USER_ACTION_TIMEOUT) << 0;
        QTest::newRow("clearUpFlag") << QStringLiteral("clearUpFlag") << int(FIDO_OK) << int(FIDO_OK)
                                     << int(FIDO_ERR_INVALID_PARAM);
        QTest::newRow("wrongRpIdHash") << QStringLiteral("wrongRpIdHash") << int(FIDO_OK) << int(FIDO_OK)
                                       << int(FIDO_ERR_INVALID_PARAM);
        QTest::newRow("corruptSignature")
            << QStringLiteral("corruptSignature") << int(FIDO_OK) << int(FIDO_OK) << int(FIDO_ERR_INVALID_SIG);
        QTest::newRow("malformedCbor") << QStringLiteral("malformedCbor") << int(FIDO_ERR_RX_NOT_CBOR)
                                       << int(FIDO_ERR_RX_NOT_CBOR) << 0;
    }
    void faults() {
        QFETCH(QString, fault);
        QFETCH(int, makeResult);
        QFETCH(int, assertResult);
        QFETCH(int, verifyResult);
        SoftFido key;
        Cred good;
        QCOMPARE(makeCredential(key, good), FIDO_OK); // enrolled before the fault

        auto setFault = [&](bool on) {
            SoftFidoOptions& o = key.options();
            if (fault == QLatin1String("userDenies"))
                o.userDenies = on;
            else if (fault == QLatin1String("neverTouch"))
                o.neverTouch = on;
            else if (fault == QLatin1String("clearUpFlag"))
                o.clearUpFlag = on;
            else if (fault == QLatin1String("wrongRpIdHash"))
                o.wrongRpIdHash = on;
            else if (fault == QLatin1String("corruptSignature"))
                o.corruptSignature = on;
            else if (fault == QLatin1String("malformedCbor"))
                o.malformedCbor = on;
        };
        setFault(true);

        Cred cred;
        QCOMPARE(makeCredential(key, cred), makeResult);
        if (makeResult == FIDO_OK) {
            // Registration checks (FIDO-01) catch the enrollment-side faults too.
            const int expected = fault == QLatin1String("corruptSignature") ? FIDO_OK : FIDO_ERR_INVALID_PARAM;
            QCOMPARE(fido_cred_verify_self(cred.get()), expected);
        }

        Assert a;
        QCOMPARE(getAssertion(key, a, credId(good.get())), assertResult);
        if (assertResult == FIDO_OK) {
            QCOMPARE(verifyAssertion(a.get(), good.get()), verifyResult);
            if (fault == QLatin1String("clearUpFlag")) // FIDO-03: not checked unless UP is demanded
                QCOMPARE(verifyAssertion(a.get(), good.get(), FIDO_OPT_OMIT), FIDO_OK);
        }

        setFault(false); // the knob is the only cause: the same key works again
        QCOMPARE(getAssertion(key, a, credId(good.get())), FIDO_OK);
        QCOMPARE(verifyAssertion(a.get(), good.get()), FIDO_OK);
    }

    // Key pulled out mid-operation: the I/O fails, the key is gone from devices(), and plugging it
    // back in works.
    void removedMidOperation() {
        SoftFido key;
        Cred cred;
        QCOMPARE(makeCredential(key, cred), FIDO_OK);

        Dev dev;
        QCOMPARE(openDevice(key, dev), FIDO_OK);
        key.options().removeAfterMessages = 1; // the request goes out, the reply never comes
        Assert a(fido_assert_new());
        const QByteArray id = credId(cred.get());
        fido_assert_set_rp(a.get(), kRpId);
        fido_assert_set_clientdata_hash(a.get(), u8(kCdh), static_cast<size_t>(kCdh.size()));
        fido_assert_allow_cred(a.get(), u8(id), static_cast<size_t>(id.size()));
        QCOMPARE(fido_dev_get_assert(dev.get(), a.get(), nullptr), FIDO_ERR_RX);
        QVERIFY(key.devices().isEmpty());
        QVERIFY(!key.options().attached);
        dev.reset();
        QVERIFY(openDevice(key, dev) != FIDO_OK);

        key.options().removeAfterMessages = 0; // removed before the first message of the open
        key.options().attached = true;
        QCOMPARE(openDevice(key, dev), FIDO_ERR_TX);
        QVERIFY(key.devices().isEmpty());

        key.options().attached = true; // re-inserted
        QCOMPARE(getAssertion(key, a, id), FIDO_OK);
        QCOMPARE(verifyAssertion(a.get(), cred.get()), FIDO_OK);
    }

    // FIDO-04: a cloned key shares credentials and counter, then both count on their own, so the
    // RP sees the counter go backwards.
    void clonedKeyLagsCounter() {
        SoftFido key;
        Cred cred;
        QCOMPARE(makeCredential(key, cred), FIDO_OK);
        key.setSignCount(100);
        SoftFido clone = key.cloneKey();
        QCOMPARE(clone.credentialCount(), 1);
        QCOMPARE(clone.signCount(), 100u);

        Assert a;
        QCOMPARE(getAssertion(key, a, credId(cred.get())), FIDO_OK);
        QCOMPARE(getAssertion(key, a, credId(cred.get())), FIDO_OK);
        QCOMPARE(fido_assert_sigcount(a.get(), 0), 102u);

        Assert fromClone;
        QCOMPARE(getAssertion(clone, fromClone, credId(cred.get())), FIDO_OK);
        QCOMPARE(verifyAssertion(fromClone.get(), cred.get()), FIDO_OK); // a valid signature…
        QCOMPARE(fido_assert_sigcount(fromClone.get(), 0), 101u);        // …with a lagging counter
        QCOMPARE(key.signCount(), 102u);
        QCOMPARE(clone.signCount(), 101u);
    }

    // save()/load(): another process (the CLI under test) continues with the same key.
    void saveAndLoad() {
        SoftFidoOptions o;
        o.attestation = SoftFidoOptions::Attestation::PackedX5c;
        o.pinSet = true;
        o.pin = "24680";
        o.eddsa = true;
        SoftFido key(o, QStringLiteral("softfido:7"));
        Cred cred;
        MakeArgs args;
        args.pin = "24680";
        args.type = COSE_EDDSA;
        QCOMPARE(makeCredential(key, cred, args), FIDO_OK);
        key.options().pinRetries = 5;
        const QByteArray state = key.save();

        SoftFido loaded = SoftFido::load(state);
        QCOMPARE(loaded.path(), QStringLiteral("softfido:7"));
        QCOMPARE(loaded.credentialCount(), 1);
        QCOMPARE(loaded.signCount(), key.signCount());
        QCOMPARE(loaded.options().pin, QByteArray("24680"));
        QCOMPARE(loaded.options().pinRetries, 5);
        QVERIFY(loaded.options().eddsa);
        QVERIFY(loaded.options().assertionNeedsPin);
        QCOMPARE(loaded.options().attestation, SoftFidoOptions::Attestation::PackedX5c);

        Assert a;
        AssertArgs aa;
        aa.pin = "24680";
        QCOMPARE(getAssertion(loaded, a, credId(cred.get()), aa), FIDO_OK);
        QCOMPARE(verifyAssertion(a.get(), cred.get(), FIDO_OPT_TRUE, FIDO_OPT_TRUE), FIDO_OK);
        QCOMPARE(loaded.signCount(), 1u);

        // Same attestation certificate after the round trip.
        Cred second;
        QCOMPARE(makeCredential(loaded, second, args), FIDO_OK);
        QCOMPARE(fido_cred_verify(second.get()), FIDO_OK);
        QCOMPARE(QByteArray(reinterpret_cast<const char*>(fido_cred_x5c_ptr(second.get())),
                            static_cast<int>(fido_cred_x5c_len(second.get()))),
                 QByteArray(reinterpret_cast<const char*>(fido_cred_x5c_ptr(cred.get())),
                            static_cast<int>(fido_cred_x5c_len(cred.get()))));
    }
};

QTEST_GUILESS_MAIN(TestSoftFido)
#include "tst_softfido.moc"
