// A clock that lives in a file, so a test can move the time of a separate gatehoused-test process:
// the test writes (FileClock::advance), the daemon reads on every call. The file holds two
// numbers: wall-clock milliseconds since the epoch and monotonic milliseconds.
#pragma once

#include "clock.h"

#include <QFile>
#include <QSaveFile>

namespace gh::test {

class FileClock final : public Clock {
public:
    explicit FileClock(QString path) : m_path(std::move(path)) {}

    // Starts the file at the FakeClock's default start (2026-01-01 12:00 UTC, monotonic 0).
    void reset(QDateTime start = QDateTime(QDate(2026, 1, 1), QTime(12, 0), Qt::UTC)) {
        write(start.toMSecsSinceEpoch(), 0);
    }
    void advance(qint64 secs) {
        auto [wall, mono] = read();
        write(wall + secs * 1000, mono + secs * 1000);
    }
    QDateTime nowUtc() const override { return QDateTime::fromMSecsSinceEpoch(read().first, Qt::UTC); }
    qint64 monotonicMs() const override { return read().second; }

private:
    std::pair<qint64, qint64> read() const {
        QFile f(m_path);
        if (!f.open(QIODevice::ReadOnly))
            return {0, 0};
        const QList<QByteArray> parts = f.readAll().trimmed().split(' ');
        return {parts.value(0).toLongLong(), parts.value(1).toLongLong()};
    }
    void write(qint64 wall, qint64 mono) {
        QSaveFile f(m_path);
        if (f.open(QIODevice::WriteOnly)) {
            f.write(QByteArray::number(wall) + ' ' + QByteArray::number(mono) + '\n');
            f.commit();
        }
    }
    QString m_path;
};

} // namespace gh::test
