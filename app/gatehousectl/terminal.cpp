#include "terminal.h"

#include <QByteArray>

#include <cerrno>
#include <csignal>
#include <cstdio>

#include <termios.h>
#include <unistd.h>

namespace gh::cli {

namespace {

// Terminal state to restore if a signal arrives while echo is off, so Ctrl-C at a password
// prompt does not leave the user's shell without echo.
struct termios g_saved;
volatile sig_atomic_t g_echoOff = 0;

extern "C" void restoreTerminalAndDie(int sig) {
    if (g_echoOff)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved);
    const char newline = '\n';
    (void)!write(STDERR_FILENO, &newline, 1);
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

class EchoOff {
public:
    EchoOff() {
        if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &g_saved) != 0)
            return;
        for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT})
            std::signal(sig, restoreTerminalAndDie);
        struct termios quiet = g_saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        quiet.c_lflag |= ECHONL;
        if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0) {
            g_echoOff = 1;
            m_active = true;
        }
    }
    ~EchoOff() {
        if (m_active) {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved);
            g_echoOff = 0;
        }
        for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT})
            std::signal(sig, SIG_DFL);
    }
    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;

private:
    bool m_active = false;
};

// One byte at a time with read(2): slow but unbuffered, so the bytes after the first newline
// stay in the pipe for the next call and no copy of the secret sits in a stdio buffer.
bool g_tooLong = false;

constexpr std::size_t kMaxDiscard = 64 * 1024;

// Reads to the end of the line (its newline included) or of the input, at most kMaxDiscard bytes.
void discardRestOfLine(int fd) {
    for (std::size_t dropped = 0; dropped < kMaxDiscard; ++dropped) {
        char c = 0;
        const ssize_t n = ::read(fd, &c, 1);
        if (n < 0 && errno == EINTR) {
            --dropped;
            continue;
        }
        if (n <= 0 || c == '\n')
            return;
    }
}

std::optional<SecureBuffer> readLineRaw(int fd = STDIN_FILENO) {
    SecureBuffer line(kMaxSecretLine);
    std::size_t length = 0;
    bool sawAnything = false;
    g_tooLong = false;
    for (;;) {
        char c = 0;
        const ssize_t n = ::read(fd, &c, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; // end of input (or an error: treated the same)
        sawAnything = true;
        if (c == '\n')
            break;
        if (length == kMaxSecretLine) {
            // Refused whole. The rest of the line is read and dropped, so that a script's next
            // command on the same input does not take it for its secret, but only up to
            // kMaxDiscard more bytes: an endless line (a pipe from /dev/zero) kept this loop
            // reading forever.
            g_tooLong = true;
            discardRestOfLine(fd);
            break;
        }
        line.data()[length++] = static_cast<unsigned char>(c);
    }
    if (!sawAnything || g_tooLong)
        return std::nullopt;
    if (length > 0 && line.data()[length - 1] == '\r')
        --length;
    return SecureBuffer(line.chars(), length);
}

} // namespace

bool stdinIsTerminal() {
    return isatty(STDIN_FILENO) == 1;
}

std::optional<SecureBuffer> readSecretLine() {
    EchoOff quiet;
    return readLineRaw();
}

std::optional<SecureBuffer> readSecretLineFrom(int fd) {
    if (fd == STDIN_FILENO)
        return readSecretLine();
    std::optional<SecureBuffer> line = readLineRaw(fd);
    ::close(fd);
    return line;
}

std::optional<QString> promptLine(const QString& label) {
    const QByteArray prompt = label.toUtf8();
    std::fflush(stdout);
    std::fwrite(prompt.constData(), 1, static_cast<std::size_t>(prompt.size()), stderr);
    std::fflush(stderr);
    std::optional<SecureBuffer> line = readLineRaw(); // echo stays on: not a secret
    if (!line || !isValidUtf8(line->chars(), line->size()))
        return std::nullopt;
    return QString::fromUtf8(line->chars(), static_cast<qsizetype>(line->size()));
}

bool lastLineTooLong() {
    return g_tooLong;
}

bool isValidUtf8(const char* data, std::size_t size) {
    const auto* s = reinterpret_cast<const unsigned char*>(data);
    std::size_t i = 0;
    while (i < size) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t n = 0;
        unsigned int cp = 0;
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
            cp = c & 0x1fu;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            cp = c & 0x0fu;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            cp = c & 0x07u;
        } else {
            return false; // continuation byte first, overlong lead (0xc0, 0xc1) or above 0xf4
        }
        for (std::size_t k = 1; k <= n; ++k) {
            if (i + k >= size || (s[i + k] & 0xc0u) != 0x80u)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3fu);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += n + 1;
    }
    return true;
}

std::optional<SecureBuffer> promptSecret(const QString& label) {
    // Echo goes off before the prompt shows (as getpass does): what is typed once the prompt is
    // visible is never echoed, and nothing typed then is flushed away by switching echo off.
    EchoOff quiet;
    const QByteArray text = label.toUtf8();
    std::fwrite(text.constData(), 1, static_cast<std::size_t>(text.size()), stderr);
    std::fflush(stderr);
    return readLineRaw();
}

} // namespace gh::cli
