// Where security keys come from, in the client (the ceremony runs at the seat: DESIGN.md, "Trust
// boundary and processes"). In production: the USB/NFC (hidraw) devices libfido2 finds itself
// (client/securitykey.h, keys::HidTransport). In tests: a software authenticator
// (tests/support/softfido.h) that the real libfido2 drives through its custom I/O and transport
// hooks, so the whole libfido2 code path runs. The service never sees a transport.
#pragma once

#include "types.h"

#include <QList>
#include <QString>

typedef struct fido_dev fido_dev_t; // as declared by <fido.h>

namespace gh {

class Fido2Transport {
public:
    virtual ~Fido2Transport() = default;
    // The devices present now. Cheap enough to poll about twice a second.
    virtual QList<Fido2DeviceInfo> devices() = 0;
    // Called on a fresh handle (fido_dev_new) before fido_dev_open(dev, path): installs I/O and
    // transport functions when the device is not a hidraw node. Returns a FIDO_ERR_* code
    // (FIDO_OK == 0).
    virtual int prepare(fido_dev_t* dev, const QString& path) = 0;
    // After an operation on the device opened at `path` ended and the device was closed.
    virtual void closed(const QString& path) { (void)path; }
};

} // namespace gh
