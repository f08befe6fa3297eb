// Where a vault's key is kept. A plain enum with no storage code behind it, so clients of
// gatehoused (client/) can show it without linking SQLCipher or QtKeychain.
#pragma once

namespace gh {

enum class KeySource { Keychain, Passphrase };

} // namespace gh
