#include "anchor.h"

#include "../crypto/primitives.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QList>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gh {

QString anchorVerdictName(AnchorVerdict verdict) {
    switch (verdict) {
    case AnchorVerdict::Same:
        return QStringLiteral("same");
    case AnchorVerdict::Ahead:
        return QStringLiteral("ahead");
    case AnchorVerdict::Created:
        return QStringLiteral("created");
    case AnchorVerdict::Behind:
        return QStringLiteral("behind");
    case AnchorVerdict::Diverged:
        return QStringLiteral("diverged");
    case AnchorVerdict::Missing:
        return QStringLiteral("missing");
    case AnchorVerdict::Damaged:
        return QStringLiteral("damaged");
    }
    return QStringLiteral("?");
}

namespace anchor {

namespace {
constexpr char kMagic[] = "GHA1";

QByteArray body(const AnchorState& s) {
    return QByteArray(kMagic) + ' ' + QByteArray::number(s.seq) + ' ' + QByteArray::number(s.auditId) + ' ' +
           (s.auditMac.isEmpty() ? QByteArray("-") : s.auditMac.toHex());
}
} // namespace

QByteArray encode(const AnchorState& state, const SecureBuffer& tagKey) {
    const QByteArray b = body(state);
    return b + ' ' + crypto::mac(tagKey, b).toHex();
}

std::optional<AnchorState> decode(const QByteArray& text, const SecureBuffer& tagKey) {
    const QList<QByteArray> parts = text.trimmed().split(' ');
    if (parts.size() != 5 || parts[0] != kMagic)
        return std::nullopt;
    AnchorState s;
    bool okSeq = false, okId = false;
    s.seq = parts[1].toLongLong(&okSeq);
    s.auditId = parts[2].toLongLong(&okId);
    if (!okSeq || !okId || s.seq < 0 || s.auditId < 0)
        return std::nullopt;
    if (parts[3] != "-")
        s.auditMac = QByteArray::fromHex(parts[3]);
    const QByteArray tag = QByteArray::fromHex(parts[4]);
    if (!crypto::constantTimeEqual(crypto::mac(tagKey, body(s)), tag))
        return std::nullopt;
    return s;
}

namespace {
Error ioError(const QString& what, const QString& path) {
    const int e = errno;
    return Error{e == ENOSPC ? Errc::VaultIo : (e == EROFS || e == EACCES ? Errc::VaultReadOnly : Errc::VaultIo),
                 QStringLiteral("%1 %2: %3").arg(what, path, QString::fromLocal8Bit(std::strerror(e))), 0};
}

bool writeAll(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}
} // namespace

Status writeFileDurably(const QString& path, const QByteArray& data) {
    const QString dir = QFileInfo(path).absolutePath();
    if (!QFileInfo::exists(dir)) {
        // Owner-only from the first moment, whatever the umask (issue 17: parents made 0700).
        const mode_t old = ::umask(077);
        const bool made = QDir().mkpath(dir);
        ::umask(old);
        if (!made)
            return Error{Errc::VaultReadOnly, QStringLiteral("cannot create %1").arg(dir), 0};
    }
    const QByteArray target = QFile::encodeName(path);
    const QByteArray temp = target + ".tmp";
    const int fd = ::open(temp.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return ioError(QStringLiteral("cannot write"), QString::fromLocal8Bit(temp));
    if (!writeAll(fd, data.constData(), static_cast<std::size_t>(data.size())) || ::fsync(fd) != 0) {
        Error e = ioError(QStringLiteral("cannot write"), QString::fromLocal8Bit(temp));
        ::close(fd);
        ::unlink(temp.constData());
        return e;
    }
    ::close(fd);
    if (::rename(temp.constData(), target.constData()) != 0) {
        Error e = ioError(QStringLiteral("cannot replace"), path);
        ::unlink(temp.constData());
        return e;
    }
    return ok(); // no directory fsync: see anchor.h (one flush per commit instead of two)
}

Result<std::optional<QByteArray>> readFile(const QString& path) {
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT)
            return std::optional<QByteArray>();
        return ioError(QStringLiteral("cannot read"), path);
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > 4096) {
        ::close(fd);
        return Error{Errc::VaultCorrupt, QStringLiteral("%1 is not a small regular file").arg(path), 0};
    }
    QByteArray out(static_cast<qsizetype>(st.st_size), '\0');
    qsizetype got = 0;
    while (got < out.size()) {
        const ssize_t n = ::read(fd, out.data() + got, static_cast<std::size_t>(out.size() - got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += n;
    }
    ::close(fd);
    out.truncate(got);
    return std::optional<QByteArray>(out);
}

} // namespace anchor
} // namespace gh
