// Helpers for tests that check what is on disk: a snapshot of a directory (names, sizes and
// content hashes) to prove that a failed operation changed nothing, and a byte search.
#pragma once

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QMap>

namespace gh::test {

inline QMap<QString, QByteArray> snapshot(const QString& dirPath) {
    QMap<QString, QByteArray> out;
    const QDir dir(dirPath);
    for (const QString& name : dir.entryList(QDir::Files | QDir::Hidden)) {
        QFile f(dir.filePath(name));
        if (f.open(QIODevice::ReadOnly))
            out.insert(name, QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex());
    }
    return out;
}

// All bytes of the vault and its WAL/SHM companions.
inline QByteArray vaultBytes(const QString& vaultPath) {
    QByteArray all;
    for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        QFile f(vaultPath + suffix);
        if (f.open(QIODevice::ReadOnly))
            all += f.readAll();
    }
    return all;
}

} // namespace gh::test
