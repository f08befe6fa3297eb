import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// A secondary action shown as a flat, accent-coloured button (cancel, switch mode, back).
Button {
    id: control

    flat: true
    font.pixelSize: Theme.bodySize
    palette.buttonText: Theme.accent
    focusPolicy: Qt.StrongFocus

    Accessible.name: text
    Accessible.onPressAction: if (control.enabled) control.clicked()
    Keys.onReturnPressed: if (enabled) clicked()
    Keys.onEnterPressed: if (enabled) clicked()
}
