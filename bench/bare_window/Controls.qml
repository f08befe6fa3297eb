// The second reference of bench_startup: the least a Qt Quick Controls application shows (the
// Fusion style as the GUI uses, a label, two fields and a button) at the Gatehouse window's size.
// Not a target: it shows how much of the bare-window ratio any Controls application pays.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ApplicationWindow {
    width: 1100
    height: 680
    visible: true
    title: "bench_controls_window"

    ColumnLayout {
        anchors.centerIn: parent
        Label { text: "Create the first administrator" }
        TextField { placeholderText: "Username" }
        TextField { placeholderText: "Password"; echoMode: TextInput.Password }
        Button { text: "Create" }
    }
}
