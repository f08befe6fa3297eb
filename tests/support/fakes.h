// Test doubles shared by the suites: an injectable clock, a deterministic random source and an
// in-memory key store (for tests that are not about the keychain itself).
#pragma once

#include "clock.h"
#include "crypto/random.h"
#include "vault/keystore.h"

#include <QHash>
#include <QTemporaryDir>

namespace gh::test {

class FakeClock final : public Clock {
public:
    explicit FakeClock(QDateTime start = QDateTime(QDate(2026, 1, 1), QTime(12, 0), Qt::UTC))
        : m_wall(std::move(start)) {}
    QDateTime nowUtc() const override { return m_wall; }
    qint64 monotonicMs() const override { return m_mono; }
    // Both clocks move together…
    void advance(qint64 secs) {
        m_wall = m_wall.addSecs(secs);
        m_mono += secs * 1000;
    }
    // …or only the wall clock jumps (NTP, user change), either way.
    void jumpWall(qint64 secs) { m_wall = m_wall.addSecs(secs); }

private:
    QDateTime m_wall;
    qint64 m_mono = 0;
};

// Deterministic bytes (a counter through a simple mixer) so tests are repeatable.
class SeededRandom final : public RandomSource {
public:
    explicit SeededRandom(quint64 seed = 1) : m_state(seed) {}
    void fill(unsigned char* out, std::size_t size) override;

private:
    quint64 m_state;
};

class MemoryKeyStore final : public KeyStore {
public:
    Result<SecureBuffer> read(const QString& entry) override;
    Status write(const QString& entry, const SecureBuffer& key) override;
    Status remove(const QString& entry) override;
    QString describe() const override { return QStringLiteral("memory (tests)"); }
    Result<std::optional<QByteArray>> readAnchor(const QString& entry) override;
    Status writeAnchor(const QString& entry, const QByteArray& anchor) override;
    bool unavailable = false;      // simulate "no keychain answers"
    bool anchorWritesFail = false; // simulate a crash between the vault and the anchor write
    int entries() const { return static_cast<int>(m_keys.size()); }
    // Tests of the anchor (INT-01): save one and put it back later, or drop it.
    QHash<QString, QByteArray> anchors;

private:
    QHash<QString, QByteArray> m_keys;
};

} // namespace gh::test
