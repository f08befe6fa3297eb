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

// Longest line kept; a longer one is cut here, which is still far over the policy's byte cap,
// so the policy rejects it as too long instead of the CLI silently accepting a truncation.
constexpr std::size_t kMaxSecretLine = 4096;

// Reads one line from standard input (without "\n" or "\r\n"). Echo is switched off while
// reading when stdin is a terminal. nullopt at end of input with nothing read.
std::optional<SecureBuffer> readSecretLine();

// Writes `label` to stderr, then reads a line from the terminal with echo off.
std::optional<SecureBuffer> promptSecret(const QString& label);

} // namespace gh::cli
