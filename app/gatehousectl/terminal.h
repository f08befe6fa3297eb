// Reading secrets for the CLI. Passwords never come from the command line or the environment:
// either prompted on the terminal with echo off (prompt on stderr), or read line by line from
// standard input (--password-stdin, or whenever stdin is not a terminal). Bytes go straight into
// SecureBuffer storage; nothing is buffered by stdio.
#pragma once

#include "crypto/securebuffer.h"

#include <QString>

#include <optional>

namespace gh::cli {

bool stdinIsTerminal();

// Longest line accepted. A longer line is refused whole (never cut): the read returns nullopt
// and lastLineTooLong() says why (issue 17).
constexpr std::size_t kMaxSecretLine = 4096;

// Reads one line from standard input (without "\n" or "\r\n"). Echo is switched off while
// reading when stdin is a terminal. nullopt at end of input with nothing read, or for a line
// over kMaxSecretLine bytes.
std::optional<SecureBuffer> readSecretLine();
// One line from file descriptor `fd` (--otp-fd N), the same way; the descriptor is closed after.
std::optional<SecureBuffer> readSecretLineFrom(int fd);
// True when the last read refused a line for its length.
bool lastLineTooLong();
// Strict UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF). Secrets and names
// that are not valid text are refused, never turned into U+FFFD: five different byte strings
// must not sign in as one password (issue 17).
bool isValidUtf8(const char* data, std::size_t size);

// Writes `label` to stderr, then reads a line of standard input with echo on: answers that are
// not secrets (a confirmation). nullopt at end of input or for text that is not UTF-8.
std::optional<QString> promptLine(const QString& label);

// Writes `label` to stderr, then reads a line from the terminal with echo off.
std::optional<SecureBuffer> promptSecret(const QString& label);

} // namespace gh::cli
