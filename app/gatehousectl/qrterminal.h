// A QR code for a terminal (libqrencode), drawn with UTF-8 half blocks so one text row holds two
// module rows. Used for the otpauth:// URI of `factor add-totp`, which contains the TOTP seed:
// the text returned is a secret too (OTP-06: never logged, never persisted).
#pragma once

#include "crypto/securebuffer.h"

namespace gh::cli {

// Dark modules black on white, set with ANSI colours so the code scans on dark and light terminal
// themes alike, surrounded by the 4-module quiet zone the QR specification asks for. Each line
// ends with "\n". Empty when the data does not fit into a QR code.
SecureBuffer renderQrForTerminal(const SecureBuffer& data);

} // namespace gh::cli
