// A software security key (SoftFido) whose state lives in a file the test writes: plugging the key
// in or out, or changing its knobs, is rewriting that file (no file: no key plugged in). The key is
// reloaded when the file changed, before the device is listed or opened, and written back after
// every operation (Fido2Transport::closed). Installed in the CLIENT — gatehousectl-test
// (gatehousectl_test.cpp) and the GUI tests' gh::Client (guidriver.h) — because the ceremony runs
// at the seat; the service never sees a key (SECURITY.md FIDO-01/02, DESIGN.md trust boundary).
#pragma once

#include "fido2transport.h"
#include "softfido.h"

#include <QFile>
#include <QSaveFile>

#include <memory>
#include <mutex>

namespace gh::test {

class StateFileKey final : public Fido2Transport {
public:
    explicit StateFileKey(QString path) : m_path(std::move(path)) {}
    QList<Fido2DeviceInfo> devices() override {
        std::lock_guard guard(m_lock);
        reload();
        return m_key ? m_key->devices() : QList<Fido2DeviceInfo>();
    }
    int prepare(fido_dev_t* dev, const QString& path) override {
        std::lock_guard guard(m_lock);
        reload();
        return m_key ? m_key->prepare(dev, path) : -1;
    }
    void closed(const QString&) override {
        std::lock_guard guard(m_lock);
        save();
    }

private:
    void reload() {
        QFile f(m_path);
        if (!f.open(QIODevice::ReadOnly)) {
            m_key.reset();
            m_saved.clear();
            return;
        }
        const QByteArray bytes = f.readAll();
        if (m_key && bytes == m_saved)
            return;
        m_key = std::make_unique<SoftFido>(SoftFido::load(bytes));
        m_saved = bytes;
    }
    void save() {
        if (!m_key)
            return;
        const QByteArray bytes = m_key->save();
        if (bytes == m_saved)
            return;
        QSaveFile f(m_path);
        if (f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size() && f.commit())
            m_saved = bytes;
    }

    QString m_path;
    std::mutex m_lock;
    std::unique_ptr<SoftFido> m_key;
    QByteArray m_saved;
};

} // namespace gh::test
