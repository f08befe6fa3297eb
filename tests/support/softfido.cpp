// Software CTAP2 authenticator; see softfido.h. Wire formats as libfido2 1.12 sends and parses
// them (SECURITY.md §C): replies are a CTAP status byte followed by a canonical CBOR map, built
// here in canonical key order because libcbor keeps insertion order.
#include "softfido.h"

#include <QCryptographicHash>
#include <QDataStream>
#include <QIODevice>
#include <QMessageAuthenticationCode>

#include <cbor.h>
#include <fido.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace gh::test {

namespace {

// CTAPHID commands as libfido2 hands them to a custom transport (without the 0x80 frame bit).
constexpr uint8_t kHidInit = 0x06;
constexpr uint8_t kHidCbor = 0x10;
constexpr uint8_t kHidCancel = 0x11;

// CTAP2 commands.
constexpr uint8_t kCmdMakeCredential = 0x01;
constexpr uint8_t kCmdGetAssertion = 0x02;
constexpr uint8_t kCmdGetInfo = 0x04;
constexpr uint8_t kCmdClientPin = 0x06;
constexpr uint8_t kCmdGetNextAssertion = 0x08;

// CTAP2 status codes.
constexpr uint8_t kOk = 0x00;
constexpr uint8_t kErrInvalidCommand = 0x01;
constexpr uint8_t kErrInvalidParameter = 0x02;
constexpr uint8_t kErrInvalidCbor = 0x12;
constexpr uint8_t kErrMissingParameter = 0x14;
constexpr uint8_t kErrCredentialExcluded = 0x19;
constexpr uint8_t kErrUnsupportedAlgorithm = 0x26;
constexpr uint8_t kErrOperationDenied = 0x27;
constexpr uint8_t kErrUnsupportedOption = 0x2b;
constexpr uint8_t kErrNoCredentials = 0x2e;
constexpr uint8_t kErrUserActionTimeout = 0x2f;
constexpr uint8_t kErrNotAllowed = 0x30;
constexpr uint8_t kErrPinInvalid = 0x31;
constexpr uint8_t kErrPinBlocked = 0x32;
constexpr uint8_t kErrPinAuthInvalid = 0x33;
constexpr uint8_t kErrPinNotSet = 0x35;
constexpr uint8_t kErrPinRequired = 0x36;
constexpr uint8_t kErrInvalidSubcommand = 0x3e;

constexpr int kCoseEs256 = -7;
constexpr int kCoseEdDsa = -8;
constexpr int kCoseEcdhEsHkdf256 = -25;
constexpr int kMaxPinRetries = 8;

constexpr uint8_t kFlagUp = 0x01;
constexpr uint8_t kFlagUv = 0x04;
constexpr uint8_t kFlagAt = 0x40;

constexpr quint32 kSaveMagic = 0x53465432; // "SFT2"

// ---- small RAII + helpers --------------------------------------------------------------------

struct PkeyFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

struct CborFree {
    void operator()(cbor_item_t* p) const { cbor_decref(&p); }
};
using Cbor = std::unique_ptr<cbor_item_t, CborFree>;

QByteArray randomBytes(int n) {
    QByteArray out(n, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), n) != 1)
        qFatal("softfido: RAND_bytes failed");
    return out;
}

QByteArray sha256(const QByteArray& data) {
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256);
}

QByteArray hmacSha256(const QByteArray& key, const QByteArray& msg) {
    return QMessageAuthenticationCode::hash(msg, key, QCryptographicHash::Sha256);
}

bool equalCt(const QByteArray& a, const QByteArray& b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.constData(), b.constData(), static_cast<size_t>(a.size())) == 0;
}

Pkey generateKey(int alg) {
    EVP_PKEY* k = alg == kCoseEdDsa ? EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519")
                                    : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    if (k == nullptr)
        qFatal("softfido: key generation failed");
    return Pkey(k);
}

QByteArray keyToDer(EVP_PKEY* key) {
    unsigned char* der = nullptr;
    const int len = i2d_PrivateKey(key, &der);
    if (len <= 0)
        qFatal("softfido: i2d_PrivateKey failed");
    QByteArray out(reinterpret_cast<const char*>(der), len);
    OPENSSL_clear_free(der, static_cast<size_t>(len));
    return out;
}

Pkey keyFromDer(const QByteArray& der) {
    const auto* p = reinterpret_cast<const unsigned char*>(der.constData());
    return Pkey(d2i_AutoPrivateKey(nullptr, &p, der.size()));
}

// 0x04 || x || y of a P-256 key.
QByteArray ecPoint(EVP_PKEY* key) {
    unsigned char* pt = nullptr;
    const size_t len = EVP_PKEY_get1_encoded_public_key(key, &pt);
    QByteArray out(reinterpret_cast<const char*>(pt), static_cast<int>(len));
    OPENSSL_free(pt);
    return out;
}

Pkey ecKeyFromXY(const QByteArray& x, const QByteArray& y) {
    if (x.size() != 32 || y.size() != 32)
        return {};
    QByteArray point = QByteArray(1, '\x04') + x + y;
    char group[] = "P-256";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), static_cast<size_t>(point.size())),
        OSSL_PARAM_construct_end()};
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
    EVP_PKEY* key = nullptr;
    if (ctx == nullptr || EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) != 1)
        key = nullptr;
    EVP_PKEY_CTX_free(ctx);
    return Pkey(key);
}

QByteArray ecdh(EVP_PKEY* mine, EVP_PKEY* peer) {
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(mine, nullptr);
    size_t len = 0;
    QByteArray out;
    if (ctx != nullptr && EVP_PKEY_derive_init(ctx) == 1 && EVP_PKEY_derive_set_peer(ctx, peer) == 1 &&
        EVP_PKEY_derive(ctx, nullptr, &len) == 1) {
        out.resize(static_cast<int>(len));
        if (EVP_PKEY_derive(ctx, reinterpret_cast<unsigned char*>(out.data()), &len) != 1)
            out.clear();
    }
    EVP_PKEY_CTX_free(ctx);
    return out;
}

QByteArray sign(EVP_PKEY* key, const QByteArray& msg) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const EVP_MD* md = EVP_PKEY_get_id(key) == EVP_PKEY_ED25519 ? nullptr : EVP_sha256();
    size_t len = 0;
    QByteArray sig;
    const auto* m = reinterpret_cast<const unsigned char*>(msg.constData());
    if (ctx != nullptr && EVP_DigestSignInit(ctx, nullptr, md, nullptr, key) == 1 &&
        EVP_DigestSign(ctx, nullptr, &len, m, static_cast<size_t>(msg.size())) == 1) {
        sig.resize(static_cast<int>(len));
        if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len, m,
                           static_cast<size_t>(msg.size())) != 1)
            qFatal("softfido: signing failed");
        sig.resize(static_cast<int>(len));
    }
    EVP_MD_CTX_free(ctx);
    return sig;
}

// AES-256-CBC without padding (CTAP PIN protocols encrypt whole blocks).
QByteArray aes256cbc(const QByteArray& key, const QByteArray& iv, const QByteArray& in, bool encrypt) {
    if (key.size() != 32 || iv.size() != 16 || in.isEmpty() || in.size() % 16 != 0)
        return {};
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    QByteArray out(in.size() + 16, '\0');
    int n1 = 0;
    int n2 = 0;
    const bool ok =
        ctx != nullptr &&
        EVP_CipherInit_ex(ctx, EVP_aes_256_cbc(), nullptr, reinterpret_cast<const unsigned char*>(key.constData()),
                          reinterpret_cast<const unsigned char*>(iv.constData()), encrypt ? 1 : 0) == 1 &&
        EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
        EVP_CipherUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &n1,
                         reinterpret_cast<const unsigned char*>(in.constData()), in.size()) == 1 &&
        EVP_CipherFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()) + n1, &n2) == 1;
    EVP_CIPHER_CTX_free(ctx);
    if (!ok)
        return {};
    out.resize(n1 + n2);
    return out;
}

QByteArray hkdfSha256(const QByteArray& secret, const char* info) {
    unsigned char salt[32] = {};
    unsigned char out[32] = {};
    size_t outLen = sizeof(out);
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr);
    const bool ok =
        ctx != nullptr && EVP_PKEY_derive_init(ctx) == 1 && EVP_PKEY_CTX_set_hkdf_md(ctx, EVP_sha256()) == 1 &&
        EVP_PKEY_CTX_set1_hkdf_salt(ctx, salt, sizeof(salt)) == 1 &&
        EVP_PKEY_CTX_set1_hkdf_key(ctx, reinterpret_cast<const unsigned char*>(secret.constData()), secret.size()) ==
            1 &&
        EVP_PKEY_CTX_add1_hkdf_info(ctx, reinterpret_cast<const unsigned char*>(info),
                                    static_cast<int>(std::strlen(info))) == 1 &&
        EVP_PKEY_derive(ctx, out, &outLen) == 1;
    EVP_PKEY_CTX_free(ctx);
    return ok ? QByteArray(reinterpret_cast<const char*>(out), static_cast<int>(outLen)) : QByteArray();
}

// ---- PIN/UV auth protocols 1 and 2 (CTAP 2.1 §6.5.6, §6.5.7) -------------------------------

QByteArray pinKdf(int protocol, const QByteArray& z) {
    if (protocol == 1)
        return sha256(z);
    return hkdfSha256(z, "CTAP2 HMAC key") + hkdfSha256(z, "CTAP2 AES key");
}

QByteArray pinDecrypt(int protocol, const QByteArray& shared, const QByteArray& ct) {
    if (protocol == 1)
        return aes256cbc(shared.left(32), QByteArray(16, '\0'), ct, false);
    if (ct.size() < 32)
        return {};
    return aes256cbc(shared.mid(32, 32), ct.left(16), ct.mid(16), false);
}

QByteArray pinEncrypt(int protocol, const QByteArray& shared, const QByteArray& pt) {
    if (protocol == 1)
        return aes256cbc(shared.left(32), QByteArray(16, '\0'), pt, true);
    const QByteArray iv = randomBytes(16);
    return iv + aes256cbc(shared.mid(32, 32), iv, pt, true);
}

QByteArray pinAuthenticate(int protocol, const QByteArray& key, const QByteArray& msg) {
    const QByteArray mac = hmacSha256(protocol == 2 ? key.left(32) : key, msg);
    return protocol == 1 ? mac.left(16) : mac;
}

// ---- CBOR building (canonical: callers add keys in canonical order) ------------------------

cbor_item_t* cInt(qint64 v) {
    if (v >= 0) {
        if (v <= 0xff)
            return cbor_build_uint8(static_cast<uint8_t>(v));
        if (v <= 0xffff)
            return cbor_build_uint16(static_cast<uint16_t>(v));
        return cbor_build_uint32(static_cast<uint32_t>(v));
    }
    const quint64 n = static_cast<quint64>(-1 - v);
    if (n <= 0xff)
        return cbor_build_negint8(static_cast<uint8_t>(n));
    if (n <= 0xffff)
        return cbor_build_negint16(static_cast<uint16_t>(n));
    return cbor_build_negint32(static_cast<uint32_t>(n));
}
cbor_item_t* cBytes(const QByteArray& b) {
    return cbor_build_bytestring(reinterpret_cast<const unsigned char*>(b.constData()), static_cast<size_t>(b.size()));
}
cbor_item_t* cText(const char* s) {
    return cbor_build_string(s);
}

using Pairs = std::vector<std::pair<cbor_item_t*, cbor_item_t*>>;
cbor_item_t* cMap(const Pairs& pairs) {
    cbor_item_t* m = cbor_new_definite_map(pairs.size());
    for (const auto& [k, v] : pairs)
        cbor_map_add(m, cbor_pair{cbor_move(k), cbor_move(v)});
    return m;
}
cbor_item_t* cArray(const std::vector<cbor_item_t*>& items) {
    cbor_item_t* a = cbor_new_definite_array(items.size());
    for (cbor_item_t* i : items)
        cbor_array_push(a, cbor_move(i));
    return a;
}

QByteArray serialize(cbor_item_t* item) {
    Cbor owner(item);
    unsigned char* buf = nullptr;
    size_t cap = 0;
    const size_t len = cbor_serialize_alloc(item, &buf, &cap);
    QByteArray out(reinterpret_cast<const char*>(buf), static_cast<int>(len));
    free(buf);
    return out;
}

// COSE_Key of a credential or key-agreement key, keys in canonical order 1, 3, -1, -2, -3.
cbor_item_t* coseKey(EVP_PKEY* key, int alg) {
    if (alg == kCoseEdDsa) {
        unsigned char raw[32];
        size_t len = sizeof(raw);
        EVP_PKEY_get_raw_public_key(key, raw, &len);
        return cMap({{cInt(1), cInt(1)}, // kty OKP
                     {cInt(3), cInt(kCoseEdDsa)},
                     {cInt(-1), cInt(6)}, // crv Ed25519
                     {cInt(-2), cBytes(QByteArray(reinterpret_cast<const char*>(raw), static_cast<int>(len)))}});
    }
    const QByteArray pt = ecPoint(key);
    return cMap({{cInt(1), cInt(2)}, // kty EC2
                 {cInt(3), cInt(alg)},
                 {cInt(-1), cInt(1)}, // crv P-256
                 {cInt(-2), cBytes(pt.mid(1, 32))},
                 {cInt(-3), cBytes(pt.mid(33, 32))}});
}

// ---- CBOR reading --------------------------------------------------------------------------

std::optional<qint64> intOf(const cbor_item_t* i) {
    if (i == nullptr)
        return std::nullopt;
    if (cbor_isa_uint(i))
        return static_cast<qint64>(cbor_get_int(i));
    if (cbor_isa_negint(i))
        return -1 - static_cast<qint64>(cbor_get_int(i));
    return std::nullopt;
}

std::optional<QByteArray> bytesOf(const cbor_item_t* i) {
    if (i == nullptr || !cbor_isa_bytestring(i) || !cbor_bytestring_is_definite(i))
        return std::nullopt;
    return QByteArray(reinterpret_cast<const char*>(cbor_bytestring_handle(i)),
                      static_cast<int>(cbor_bytestring_length(i)));
}

std::optional<QByteArray> textOf(const cbor_item_t* i) {
    if (i == nullptr || !cbor_isa_string(i) || !cbor_string_is_definite(i))
        return std::nullopt;
    return QByteArray(reinterpret_cast<const char*>(cbor_string_handle(i)), static_cast<int>(cbor_string_length(i)));
}

const cbor_item_t* mapGet(const cbor_item_t* map, qint64 key) {
    if (map == nullptr || !cbor_isa_map(map) || !cbor_map_is_definite(map))
        return nullptr;
    const cbor_pair* p = cbor_map_handle(map);
    for (size_t i = 0; i < cbor_map_size(map); ++i)
        if (intOf(p[i].key) == key)
            return p[i].value;
    return nullptr;
}

const cbor_item_t* mapGet(const cbor_item_t* map, const char* key) {
    if (map == nullptr || !cbor_isa_map(map) || !cbor_map_is_definite(map))
        return nullptr;
    const cbor_pair* p = cbor_map_handle(map);
    for (size_t i = 0; i < cbor_map_size(map); ++i)
        if (textOf(p[i].key) == QByteArray(key))
            return p[i].value;
    return nullptr;
}

std::optional<bool> boolOption(const cbor_item_t* options, const char* name) {
    const cbor_item_t* v = mapGet(options, name);
    if (v == nullptr || !cbor_isa_float_ctrl(v) || !cbor_float_ctrl_is_ctrl(v))
        return std::nullopt;
    return cbor_get_bool(v);
}

QList<QByteArray> credentialIds(const cbor_item_t* list) {
    QList<QByteArray> ids;
    if (list == nullptr || !cbor_isa_array(list) || !cbor_array_is_definite(list))
        return ids;
    for (size_t i = 0; i < cbor_array_size(list); ++i) {
        Cbor entry(cbor_array_get(list, i));
        if (auto id = bytesOf(mapGet(entry.get(), "id")))
            ids.append(*id);
    }
    return ids;
}

QByteArray be32(uint32_t v) {
    QByteArray out(4, '\0');
    for (int i = 0; i < 4; ++i)
        out[i] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
    return out;
}

// Self-signed attestation certificate meeting WebAuthn §8.2.1 (packed): X.509 v3, subject OU
// "Authenticator Attestation", basicConstraints CA:FALSE.
QByteArray makeAttestationCert(EVP_PKEY* key) {
    X509* x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), -24L * 3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 10L * 365 * 24 * 3600);
    X509_set_pubkey(x, key);
    X509_NAME* name = X509_get_subject_name(x);
    auto add = [name](const char* field, const char* value) {
        X509_NAME_add_entry_by_txt(name, field, MBSTRING_ASC, reinterpret_cast<const unsigned char*>(value), -1, -1, 0);
    };
    add("C", "SE");
    add("O", "Gatehouse tests");
    add("OU", "Authenticator Attestation");
    add("CN", "SoftFIDO attestation");
    X509_set_issuer_name(x, name);
    X509_EXTENSION* bc = X509V3_EXT_conf_nid(nullptr, nullptr, NID_basic_constraints, "critical,CA:FALSE");
    X509_add_ext(x, bc, -1);
    X509_EXTENSION_free(bc);
    if (X509_sign(x, key, EVP_sha256()) <= 0)
        qFatal("softfido: X509_sign failed");
    unsigned char* der = nullptr;
    const int len = i2d_X509(x, &der);
    QByteArray out(reinterpret_cast<const char*>(der), len);
    OPENSSL_free(der);
    X509_free(x);
    return out;
}

const QByteArray kAaguid = QByteArray::fromHex("6761746568f0757365736f6674666964"); // fixed, test-only

} // namespace

// ---- state ---------------------------------------------------------------------------------

struct SoftFidoCredential {
    QByteArray id;
    QByteArray rpIdHash;
    int alg = kCoseEs256;
    QByteArray keyDer; // PKCS#8 private key (test-only, plain memory)
};

struct SoftFido::State {
    std::mutex mu;
    QString path;
    SoftFidoOptions opt;
    QList<SoftFidoCredential> creds;
    uint32_t counter = 0;
    QByteArray attKeyDer;
    QByteArray attCertDer;
    QByteArray keyAgreementDer; // authenticator's ECDH key for ClientPIN; regenerated on a wrong PIN
    QByteArray pinToken;
    int pinTokenProtocol = 0;
    int mcCalls = 0;
    int gaCalls = 0;
    int armedRemove = -1;
    int messagesSinceArmed = 0;

    void copyFrom(const State& o) {
        path = o.path;
        opt = o.opt;
        creds = o.creds;
        counter = o.counter;
        attKeyDer = o.attKeyDer;
        attCertDer = o.attCertDer;
    }

    QByteArray handleCbor(const QByteArray& msg);
    QByteArray getInfo();
    QByteArray makeCredential(const cbor_item_t* req);
    QByteArray getAssertion(const cbor_item_t* req);
    QByteArray clientPin(const cbor_item_t* req);
    // 0: no pinUvAuthParam given; 1: valid; otherwise a CTAP error to return.
    int checkPinUvAuth(const cbor_item_t* param, const cbor_item_t* protocol, const QByteArray& cdh);
    QByteArray rpIdHashFor(const QByteArray& rpId) const {
        return sha256(opt.wrongRpIdHash ? QByteArrayLiteral("evil.example.net") : rpId);
    }
    // Counts one tx/rx message; false when the device is (or now becomes) gone.
    bool consumeMessage() {
        if (opt.removeAfterMessages != armedRemove) {
            armedRemove = opt.removeAfterMessages;
            messagesSinceArmed = 0;
        }
        if (!opt.attached)
            return false;
        if (armedRemove >= 0 && messagesSinceArmed >= armedRemove) {
            opt.attached = false;
            opt.removeAfterMessages = -1; // re-inserting is then just attached = true
            armedRemove = -1;
            return false;
        }
        ++messagesSinceArmed;
        return true;
    }
};

namespace {

QByteArray status(uint8_t code) {
    return QByteArray(1, static_cast<char>(code));
}
QByteArray okReply(cbor_item_t* map) {
    return status(kOk) + serialize(map);
}

// path → instance, so io.open(path) (which gets nothing else) finds the authenticator.
std::mutex g_registryMu;
std::map<QString, std::weak_ptr<SoftFido::State>> g_registry;

struct Connection {
    std::shared_ptr<SoftFido::State> state;
    QByteArray reply;
    bool hasReply = false;
};

void* ioOpen(const char* path) {
    std::shared_ptr<SoftFido::State> st;
    {
        std::lock_guard lock(g_registryMu);
        auto it = g_registry.find(QString::fromUtf8(path));
        if (it != g_registry.end())
            st = it->second.lock();
    }
    if (!st)
        return nullptr;
    std::lock_guard lock(st->mu);
    if (!st->opt.attached)
        return nullptr;
    return new Connection{st, {}, false};
}

void ioClose(void* handle) {
    delete static_cast<Connection*>(handle);
}
// The HID framing path is unused: the transport functions below replace it.
int ioRead(void*, unsigned char*, size_t, int) {
    return -1;
}
int ioWrite(void*, const unsigned char*, size_t) {
    return -1;
}

int transportTx(fido_dev_t* dev, uint8_t cmd, const unsigned char* buf, size_t len) {
    auto* conn = static_cast<Connection*>(fido_dev_io_handle(dev));
    if (conn == nullptr)
        return -1;
    SoftFido::State& st = *conn->state;
    std::lock_guard lock(st.mu);
    if (!st.consumeMessage())
        return -1;
    const QByteArray in(reinterpret_cast<const char*>(buf), static_cast<int>(len));
    conn->hasReply = false;
    switch (cmd) {
    case kHidInit: {
        if (in.size() != 8)
            return -1;
        QByteArray r = in;                    // nonce
        r += QByteArray::fromHex("0badf1d0"); // channel id
        r += QByteArray::fromHex("02010000"); // CTAPHID protocol 2, version 1.0.0
        r += static_cast<char>(0x04 | 0x08);  // capabilities: CBOR, no U2F MSG
        conn->reply = r;
        conn->hasReply = true;
        return 0;
    }
    case kHidCbor:
        if (in.isEmpty())
            return -1;
        conn->reply = st.handleCbor(in);
        conn->hasReply = true;
        return 0;
    case kHidCancel:
        return 0; // nothing is ever pending: replies are immediate
    default:
        return -1;
    }
}

int transportRx(fido_dev_t* dev, uint8_t, unsigned char* buf, size_t len, int) {
    auto* conn = static_cast<Connection*>(fido_dev_io_handle(dev));
    if (conn == nullptr)
        return -1;
    SoftFido::State& st = *conn->state;
    std::lock_guard lock(st.mu);
    if (!st.consumeMessage() || !conn->hasReply || static_cast<size_t>(conn->reply.size()) > len)
        return -1;
    std::memcpy(buf, conn->reply.constData(), static_cast<size_t>(conn->reply.size()));
    conn->hasReply = false;
    return static_cast<int>(conn->reply.size());
}

} // namespace

QByteArray SoftFido::State::handleCbor(const QByteArray& msg) {
    const auto command = static_cast<uint8_t>(msg.at(0));
    if (command == kCmdGetInfo)
        return getInfo();
    if (command == kCmdGetNextAssertion)
        return status(kErrNotAllowed);
    if (command != kCmdMakeCredential && command != kCmdGetAssertion && command != kCmdClientPin)
        return status(kErrInvalidCommand);
    cbor_load_result res{};
    Cbor req(cbor_load(reinterpret_cast<const unsigned char*>(msg.constData()) + 1, static_cast<size_t>(msg.size() - 1),
                       &res));
    if (!req || !cbor_isa_map(req.get()))
        return status(kErrInvalidCbor);
    switch (command) {
    case kCmdMakeCredential:
        return makeCredential(req.get());
    case kCmdGetAssertion:
        return getAssertion(req.get());
    default:
        return clientPin(req.get());
    }
}

QByteArray SoftFido::State::getInfo() {
    Pairs options;
    options.push_back({cText("rk"), cbor_build_bool(false)});
    options.push_back({cText("up"), cbor_build_bool(true)});
    if (opt.builtInUv)
        options.push_back({cText("uv"), cbor_build_bool(true)});
    options.push_back({cText("clientPin"), cbor_build_bool(opt.pinSet)});

    std::vector<cbor_item_t*> algorithms{
        cMap({{cText("alg"), cInt(kCoseEs256)}, {cText("type"), cText("public-key")}})};
    if (opt.eddsa)
        algorithms.push_back(cMap({{cText("alg"), cInt(kCoseEdDsa)}, {cText("type"), cText("public-key")}}));
    std::vector<cbor_item_t*> protocols;
    if (opt.pinProtocol2)
        protocols.push_back(cInt(2));
    protocols.push_back(cInt(1));

    return okReply(cMap({
        {cInt(1), cArray({cText("FIDO_2_0"), cText("FIDO_2_1")})},
        {cInt(3), cBytes(kAaguid)},
        {cInt(4), cMap(options)},
        {cInt(5), cInt(1200)}, // maxMsgSize
        {cInt(6), cArray(protocols)},
        {cInt(7), cInt(8)},  // maxCredentialCountInList
        {cInt(8), cInt(64)}, // maxCredentialIdLength
        {cInt(10), cArray(algorithms)},
    }));
}

int SoftFido::State::checkPinUvAuth(const cbor_item_t* param, const cbor_item_t* protocol, const QByteArray& cdh) {
    if (param == nullptr)
        return 0;
    const auto p = bytesOf(param);
    const auto proto = intOf(protocol);
    if (!p || !proto)
        return kErrMissingParameter;
    if (p->isEmpty()) {
        // CTAP 2.1 §6.1.2 step 1: a zero-length pinUvAuthParam asks for a touch only (libfido2's
        // fido_dev_get_touch_begin, used to pick one of several keys).
        if (opt.userDenies)
            return kErrOperationDenied;
        if (opt.neverTouch)
            return kErrUserActionTimeout;
        return opt.pinSet ? kErrPinInvalid : kErrPinNotSet;
    }
    if (*proto != 1 && *proto != 2)
        return kErrInvalidParameter;
    if (!opt.pinSet)
        return kErrPinNotSet;
    if (pinToken.isEmpty() || *proto != pinTokenProtocol ||
        !equalCt(*p, pinAuthenticate(pinTokenProtocol, pinToken, cdh)))
        return kErrPinAuthInvalid;
    return 1;
}

QByteArray SoftFido::State::makeCredential(const cbor_item_t* req) {
    ++mcCalls;
    const auto cdh = bytesOf(mapGet(req, 1));
    const auto rpId = textOf(mapGet(mapGet(req, 2), "id"));
    const cbor_item_t* user = mapGet(req, 3);
    const cbor_item_t* params = mapGet(req, 4);
    if (!cdh || !rpId || user == nullptr || params == nullptr || !cbor_isa_array(params))
        return status(kErrMissingParameter);

    int alg = 0;
    for (size_t i = 0; i < cbor_array_size(params) && alg == 0; ++i) {
        Cbor entry(cbor_array_get(params, i));
        const auto a = intOf(mapGet(entry.get(), "alg"));
        if (a == kCoseEs256 || (a == kCoseEdDsa && opt.eddsa))
            alg = static_cast<int>(*a);
    }
    if (alg == 0)
        return status(kErrUnsupportedAlgorithm);

    const QByteArray realRpIdHash = sha256(*rpId);
    for (const QByteArray& id : credentialIds(mapGet(req, 5)))
        for (const SoftFidoCredential& c : std::as_const(creds))
            if (c.id == id && c.rpIdHash == realRpIdHash)
                return status(kErrCredentialExcluded);

    const cbor_item_t* options = mapGet(req, 7);
    if (boolOption(options, "rk").value_or(false))
        return status(kErrUnsupportedOption); // resident keys are not offered (GetInfo rk: false)
    const bool uvAsked = boolOption(options, "uv").value_or(false);
    if (uvAsked && !opt.builtInUv) // UV asked of a key whose only UV is its PIN: ask for the PIN
        return status(opt.pinSet ? kErrPinRequired : kErrUnsupportedOption);

    const int pinUv = checkPinUvAuth(mapGet(req, 8), mapGet(req, 9), *cdh);
    if (pinUv > 1)
        return status(static_cast<uint8_t>(pinUv));
    if (opt.pinSet && pinUv == 0 && !uvAsked)
        return status(kErrPinRequired);

    if (opt.userDenies)
        return status(kErrOperationDenied);
    if (opt.neverTouch)
        return status(kErrUserActionTimeout);
    if (opt.malformedCbor)
        return status(kOk) + QByteArray::fromHex("a301"); // a 3-entry map cut short

    Pkey key = generateKey(alg);
    SoftFidoCredential cred{randomBytes(48), realRpIdHash, alg, keyToDer(key.get())};
    creds.append(cred);

    uint8_t flags = kFlagAt;
    if (!opt.clearUpFlag)
        flags |= kFlagUp;
    if (pinUv == 1 || uvAsked)
        flags |= kFlagUv;
    QByteArray authData = rpIdHashFor(*rpId);
    authData += static_cast<char>(flags);
    authData += be32(counter);
    authData += kAaguid;
    authData += static_cast<char>((cred.id.size() >> 8) & 0xff);
    authData += static_cast<char>(cred.id.size() & 0xff);
    authData += cred.id;
    authData += serialize(coseKey(key.get(), alg));

    const QByteArray signedData = authData + *cdh;
    const char* fmt = "packed";
    cbor_item_t* attStmt = nullptr;
    switch (opt.attestation) {
    case SoftFidoOptions::Attestation::None:
        fmt = "none";
        attStmt = cMap({});
        break;
    case SoftFidoOptions::Attestation::PackedSelf:
        attStmt = cMap({{cText("alg"), cInt(alg)}, {cText("sig"), cBytes(sign(key.get(), signedData))}});
        break;
    case SoftFidoOptions::Attestation::PackedX5c: {
        if (attKeyDer.isEmpty()) {
            Pkey attKey = generateKey(kCoseEs256);
            attKeyDer = keyToDer(attKey.get());
            attCertDer = makeAttestationCert(attKey.get());
        }
        Pkey attKey = keyFromDer(attKeyDer);
        attStmt = cMap({{cText("alg"), cInt(kCoseEs256)},
                        {cText("sig"), cBytes(sign(attKey.get(), signedData))},
                        {cText("x5c"), cArray({cBytes(attCertDer)})}});
        break;
    }
    }
    return okReply(cMap({{cInt(1), cText(fmt)}, {cInt(2), cBytes(authData)}, {cInt(3), attStmt}}));
}

QByteArray SoftFido::State::getAssertion(const cbor_item_t* req) {
    ++gaCalls;
    const auto rpId = textOf(mapGet(req, 1));
    const auto cdh = bytesOf(mapGet(req, 2));
    if (!rpId || !cdh)
        return status(kErrMissingParameter);

    const QByteArray realRpIdHash = sha256(*rpId);
    const SoftFidoCredential* found = nullptr;
    for (const QByteArray& id : credentialIds(mapGet(req, 3))) {
        for (const SoftFidoCredential& c : std::as_const(creds))
            if (c.id == id && c.rpIdHash == realRpIdHash) {
                found = &c;
                break;
            }
        if (found != nullptr)
            break;
    }

    const cbor_item_t* options = mapGet(req, 5);
    if (boolOption(options, "rk").has_value())
        return status(kErrUnsupportedOption);
    const bool uvAsked = boolOption(options, "uv").value_or(false);
    const bool upAsked = boolOption(options, "up").value_or(true);
    if (uvAsked && !opt.builtInUv) // UV asked of a key whose only UV is its PIN: ask for the PIN
        return status(opt.pinSet ? kErrPinRequired : kErrUnsupportedOption);

    const int pinUv = checkPinUvAuth(mapGet(req, 6), mapGet(req, 7), *cdh);
    if (pinUv > 1)
        return status(static_cast<uint8_t>(pinUv));
    if (opt.pinSet && opt.assertionNeedsPin && pinUv == 0 && !uvAsked)
        return status(kErrPinRequired);

    if (found == nullptr)
        return status(kErrNoCredentials);
    if (upAsked && opt.userDenies)
        return status(kErrOperationDenied);
    if (upAsked && opt.neverTouch)
        return status(kErrUserActionTimeout);
    if (opt.malformedCbor)
        return status(kOk) + QByteArray::fromHex("a301");

    ++counter;
    uint8_t flags = 0;
    if (upAsked && !opt.clearUpFlag)
        flags |= kFlagUp;
    if (pinUv == 1 || uvAsked)
        flags |= kFlagUv;
    QByteArray authData = rpIdHashFor(*rpId);
    authData += static_cast<char>(flags);
    authData += be32(counter);

    Pkey key = keyFromDer(found->keyDer);
    QByteArray sig = sign(key.get(), authData + *cdh);
    if (opt.corruptSignature)
        sig[sig.size() - 1] = static_cast<char>(sig.at(sig.size() - 1) ^ 0x01);

    return okReply(cMap({{cInt(1), cMap({{cText("id"), cBytes(found->id)}, {cText("type"), cText("public-key")}})},
                         {cInt(2), cBytes(authData)},
                         {cInt(3), cBytes(sig)}}));
}

QByteArray SoftFido::State::clientPin(const cbor_item_t* req) {
    const auto protocol = intOf(mapGet(req, 1));
    const auto sub = intOf(mapGet(req, 2));
    if (!sub)
        return status(kErrMissingParameter);
    if (!protocol || (*protocol != 1 && !(*protocol == 2 && opt.pinProtocol2)))
        return status(kErrInvalidParameter);
    if (keyAgreementDer.isEmpty())
        keyAgreementDer = keyToDer(generateKey(kCoseEs256).get());

    switch (*sub) {
    case 1: // getPINRetries
        return okReply(cMap({{cInt(3), cInt(opt.pinRetries)}}));
    case 2: { // getKeyAgreement
        Pkey ka = keyFromDer(keyAgreementDer);
        return okReply(cMap({{cInt(1), coseKey(ka.get(), kCoseEcdhEsHkdf256)}}));
    }
    case 5:   // getPinToken
    case 9: { // getPinUvAuthTokenUsingPinWithPermissions
        if (!opt.pinSet)
            return status(kErrPinNotSet);
        if (opt.pinRetries <= 0)
            return status(kErrPinBlocked);
        const cbor_item_t* platformKey = mapGet(req, 3);
        const auto pinHashEnc = bytesOf(mapGet(req, 6));
        const auto x = bytesOf(mapGet(platformKey, -2));
        const auto y = bytesOf(mapGet(platformKey, -3));
        if (!pinHashEnc || !x || !y)
            return status(kErrMissingParameter);
        Pkey peer = ecKeyFromXY(*x, *y);
        if (!peer)
            return status(kErrInvalidParameter);
        Pkey ka = keyFromDer(keyAgreementDer);
        const QByteArray shared = pinKdf(static_cast<int>(*protocol), ecdh(ka.get(), peer.get()));
        const QByteArray pinHash = pinDecrypt(static_cast<int>(*protocol), shared, *pinHashEnc);
        if (!equalCt(pinHash.left(16), sha256(opt.pin).left(16))) {
            --opt.pinRetries;
            keyAgreementDer = keyToDer(generateKey(kCoseEs256).get());
            pinToken.clear();
            return status(opt.pinRetries <= 0 ? kErrPinBlocked : kErrPinInvalid);
        }
        opt.pinRetries = kMaxPinRetries;
        pinToken = randomBytes(32);
        pinTokenProtocol = static_cast<int>(*protocol);
        return okReply(cMap({{cInt(2), cBytes(pinEncrypt(pinTokenProtocol, shared, pinToken))}}));
    }
    default:
        return status(kErrInvalidSubcommand);
    }
}

// ---- SoftFido ------------------------------------------------------------------------------

SoftFido::SoftFido(SoftFidoOptions options, QString path) : m_d(std::make_shared<State>()) {
    m_d->opt = std::move(options);
    m_d->path = std::move(path);
}

SoftFido::SoftFido(std::shared_ptr<State> state) : m_d(std::move(state)) {}
SoftFido::~SoftFido() = default;
SoftFido::SoftFido(SoftFido&&) noexcept = default;
SoftFido& SoftFido::operator=(SoftFido&&) noexcept = default;

SoftFidoOptions& SoftFido::options() {
    return m_d->opt;
}
QString SoftFido::path() const {
    return m_d->path;
}

QList<Fido2DeviceInfo> SoftFido::devices() {
    std::lock_guard lock(m_d->mu);
    if (!m_d->opt.attached)
        return {};
    return {Fido2DeviceInfo{m_d->path, QStringLiteral("Gatehouse tests"), QStringLiteral("SoftFIDO")}};
}

int SoftFido::prepare(fido_dev_t* dev, const QString& path) {
    if (dev == nullptr || path != m_d->path)
        return FIDO_ERR_INVALID_ARGUMENT;
    {
        std::lock_guard lock(g_registryMu);
        g_registry[path] = m_d;
    }
    const fido_dev_io_t io{ioOpen, ioClose, ioRead, ioWrite};
    const fido_dev_transport_t transport{transportRx, transportTx};
    int r = fido_dev_set_io_functions(dev, &io);
    if (r == FIDO_OK)
        r = fido_dev_set_transport_functions(dev, &transport);
    return r;
}

SoftFido SoftFido::cloneKey() const {
    auto st = std::make_shared<State>();
    std::lock_guard lock(m_d->mu);
    st->copyFrom(*m_d);
    return SoftFido(std::move(st));
}

void SoftFido::setSignCount(uint32_t count) {
    std::lock_guard lock(m_d->mu);
    m_d->counter = count;
}
uint32_t SoftFido::signCount() const {
    std::lock_guard lock(m_d->mu);
    return m_d->counter;
}
int SoftFido::credentialCount() const {
    std::lock_guard lock(m_d->mu);
    return static_cast<int>(m_d->creds.size());
}
int SoftFido::makeCredentialCalls() const {
    std::lock_guard lock(m_d->mu);
    return m_d->mcCalls;
}
int SoftFido::getAssertionCalls() const {
    std::lock_guard lock(m_d->mu);
    return m_d->gaCalls;
}

QByteArray SoftFido::save() const {
    std::lock_guard lock(m_d->mu);
    QByteArray out;
    QDataStream s(&out, QIODevice::WriteOnly);
    s.setVersion(QDataStream::Qt_6_4);
    const SoftFidoOptions& o = m_d->opt;
    s << kSaveMagic << m_d->path << static_cast<qint32>(o.attestation) << o.builtInUv << o.pinSet << o.pin
      << static_cast<qint32>(o.pinRetries) << o.eddsa << o.pinProtocol2 << o.assertionNeedsPin << o.attached
      << o.userDenies << o.neverTouch << o.clearUpFlag << o.wrongRpIdHash << o.corruptSignature << o.malformedCbor
      << static_cast<qint32>(o.removeAfterMessages) << static_cast<quint32>(m_d->counter) << m_d->attKeyDer
      << m_d->attCertDer << static_cast<qint32>(m_d->creds.size());
    for (const SoftFidoCredential& c : std::as_const(m_d->creds))
        s << c.id << c.rpIdHash << static_cast<qint32>(c.alg) << c.keyDer;
    return out;
}

SoftFido SoftFido::load(const QByteArray& data) {
    QDataStream s(data);
    s.setVersion(QDataStream::Qt_6_4);
    auto st = std::make_shared<State>();
    quint32 magic = 0;
    qint32 attestation = 0, retries = 0, remove = 0, count = 0;
    quint32 counter = 0;
    SoftFidoOptions& o = st->opt;
    s >> magic;
    if (magic != kSaveMagic)
        qFatal("softfido: not a saved SoftFido state");
    s >> st->path >> attestation >> o.builtInUv >> o.pinSet >> o.pin >> retries >> o.eddsa >> o.pinProtocol2 >>
        o.assertionNeedsPin >> o.attached >> o.userDenies >> o.neverTouch >> o.clearUpFlag >> o.wrongRpIdHash >>
        o.corruptSignature >> o.malformedCbor >> remove >> counter >> st->attKeyDer >> st->attCertDer >> count;
    o.attestation = static_cast<SoftFidoOptions::Attestation>(attestation);
    o.pinRetries = retries;
    o.removeAfterMessages = remove;
    st->counter = counter;
    for (qint32 i = 0; i < count && s.status() == QDataStream::Ok; ++i) {
        SoftFidoCredential c;
        qint32 alg = 0;
        s >> c.id >> c.rpIdHash >> alg >> c.keyDer;
        c.alg = alg;
        st->creds.append(c);
    }
    if (s.status() != QDataStream::Ok)
        qFatal("softfido: truncated saved state");
    return SoftFido(std::move(st));
}

} // namespace gh::test
