import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

// The first screen, until the Gatehouse service has said whether the vault exists and where its
// key is (AppController.retryStart). Neutral on purpose: nothing that could turn out to be the
// wrong screen. Main.qml loads it only when the answer takes a moment (the service starting): a
// spinner, then the error and "Try again" when no service answered.
FocusScope {
    id: page
    objectName: "startingScreen"

    readonly property bool failed: AppController.startError.length > 0

    function focusFirst() {
        if (failed)
            retry.forceActiveFocus(Qt.TabFocusReason)
    }
    onFailedChanged: focusFirst()

    ColumnLayout {
        anchors.centerIn: parent
        spacing: 12
        visible: !page.failed

        BusyIndicator {
            Layout.alignment: Qt.AlignHCenter
            running: parent.visible
            Accessible.name: qsTr("Starting")
        }
        Label {
            objectName: "starting.text"
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("Starting Gatehouse…")
            color: Theme.secondaryText
            font.pixelSize: Theme.bodySize
            Accessible.role: Accessible.StaticText
            Accessible.name: text
        }
    }

    ScreenPage {
        anchors.fill: parent
        visible: page.failed
        title: qsTr("Gatehouse cannot start")
        subtitle: qsTr("Accounts and sessions are kept by the Gatehouse service, and it did not answer.")

        MessageBox {
            objectName: "starting.error"
            text: AppController.startError
            errorLayer: 1 // the service and its vault: storage (L1)
        }
        PrimaryButton {
            id: retry
            objectName: "starting.retry"
            text: AppController.busy ? qsTr("Trying…") : qsTr("Try again")
            busy: AppController.busy
            enabled: !AppController.busy
            onClicked: AppController.retryStart()
            Accessible.name: qsTr("Try again")
        }
    }
}
