// Where Qt 6.4's accessible interfaces for Qt Quick get our items wrong, these replace them
// (installed by the same factory as SecretInput's, before Qt Quick's):
//   - buttons: Qt reports a disabled button as enabled and runs its Press action even then; this
//     one reads role, name and description from the Accessible attached object as Qt does, adds
//     the disabled state, and runs Press/Toggle (the attached pressAction/toggleAction, i.e. the
//     screen's Accessible.onPressAction) only while the button is enabled;
//   - text items (Label): Qt reports every text item as static text whatever its Accessible.role,
//     so headings and error messages reached screen readers as labels; this one reports the role
//     the screen set (Heading, AlertMessage), static text otherwise.
#pragma once

class QAccessibleInterface;
class QObject;

namespace gh::ui {

// An interface for `object` when it is one of the items above, else null (Qt Quick's own).
QAccessibleInterface* controlAccessible(QObject* object);

} // namespace gh::ui
