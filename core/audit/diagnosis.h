// Audit as diagnosis: for an event (or a live error), which layer of the model failed, what that
// means in plain words and what fixes it (DESIGN.md, layer model table). Pure functions; they
// read the event and decide nothing.
#pragma once

#include "../errors.h"
#include "auditevent.h"

#include <QString>

namespace gh {

struct Diagnosis {
    Layer layer = Layer::None; // the layer that failed, or the event's layer when nothing failed
    bool problem = false;      // false for allowed and informational events
    QString title;             // short, e.g. "Wrong password"
    QString explanation;       // what happened, for people
    QString fix;               // what to do about it; empty when nothing needs doing
};

// "L2 credential verification" … for people; "general" for Layer::None.
QString layerTitle(Layer layer);

// Known actions get a specific diagnosis; unknown ones degrade to a generic one by layer and
// outcome, so events added later are still explained.
Diagnosis diagnose(const AuditEvent& event);
// The same for an error seen live (e.g. the vault cannot be opened, so nothing is audited).
Diagnosis diagnose(const Error& error);

} // namespace gh
