import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

// Another application asks to sign someone in (io.gatehouse.Authority1.RequestSignIn; the window
// is the agent, AgentModel). Signed out: a banner over the sign-in screen says who asks and why;
// after the sign-in the prompt asks. Signed in: the prompt names the application (icon and name
// from its .desktop file, else its id), the reason it gave and each permission it asks for with
// its description, and asks Allow / Deny / Cancel. Allow may first ask "Confirm it's you" (a
// sign-in more than 5 minutes old). Keyboard: focus starts on Allow, Tab moves through the
// buttons, Enter activates, Escape cancels. Every control carries an accessible name.
Item {
    id: root
    anchors.fill: parent
    z: 50

    readonly property AgentModel model: AppController.agent
    readonly property string appTitle: model.appName.length > 0 ? model.appName : model.appId

    // Signed out (or locked): who asks, over the sign-in screen, which stays usable.
    Rectangle {
        id: banner
        objectName: "agent.banner"
        visible: root.model.active && (!AppController.signedIn || AppController.locked)
        anchors.top: parent.top
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.topMargin: 8
        width: Math.min(560, parent.width - 32)
        implicitHeight: bannerRow.implicitHeight + 20
        radius: 8
        color: Theme.noticeBackground
        border.color: Theme.accent
        Accessible.role: Accessible.AlertMessage
        Accessible.name: bannerText.text
        RowLayout {
            id: bannerRow
            anchors.fill: parent
            anchors.margins: 10
            spacing: 10
            Image {
                source: root.model.iconSource
                visible: source.toString().length > 0
                Layout.preferredWidth: 32
                Layout.preferredHeight: 32
                sourceSize: Qt.size(64, 64)
                Accessible.ignored: true
            }
            Label {
                id: bannerText
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                color: Theme.text
                font.pixelSize: Theme.bodySize
                text: AppController.locked
                      ? qsTr("%1 asks you to sign in: %2. Unlock to answer.").arg(root.appTitle).arg(root.model.reason)
                      : qsTr("%1 asks you to sign in: %2. Sign in here to answer.").arg(root.appTitle).arg(root.model.reason)
            }
            Button {
                objectName: "agent.bannerCancel"
                text: qsTr("Cancel")
                Accessible.name: qsTr("Cancel %1's sign-in request").arg(root.appTitle)
                Accessible.onPressAction: clicked()
                Keys.onReturnPressed: clicked()
                Keys.onEnterPressed: clicked()
                onClicked: root.model.cancel()
            }
        }
    }

    Popup {
        id: prompt
        objectName: "agentPrompt"
        parent: Overlay.overlay
        anchors.centerIn: parent
        width: Math.min(500, parent ? parent.width - 32 : 500)
        modal: true
        focus: true
        visible: root.model.active && AppController.signedIn && !AppController.locked
        closePolicy: Popup.NoAutoClose
        padding: 20
        background: Rectangle { color: Theme.surface; radius: 8; border.color: Theme.border }
        onOpened: (root.model.finished ? close : allow).forceActiveFocus(Qt.TabFocusReason)
        Connections {
            target: root.model
            function onChanged() {
                if (prompt.opened && root.model.finished)
                    close.forceActiveFocus(Qt.TabFocusReason)
            }
        }
        // The prompt is modal: a screen that loads behind it (Home after the sign-in hands its
        // first focus to the sidebar) does not take the keyboard away from it. Other popups
        // (Confirm it's you, Help) are not in the window's content and keep theirs.
        Connections {
            target: root.Window.window
            function onActiveFocusItemChanged() {
                const w = root.Window.window
                if (!prompt.opened || !w || !w.activeFocusItem)
                    return
                for (let p = w.activeFocusItem; p; p = p.parent)
                    if (p === w.contentItem) {
                        (root.model.finished ? close : allow).forceActiveFocus(Qt.TabFocusReason)
                        return
                    }
            }
        }

        contentItem: ColumnLayout {
            spacing: 12
            Shortcut {
                sequences: [StandardKey.Cancel]
                enabled: prompt.opened
                onActivated: root.model.finished ? root.model.dismiss() : root.model.cancel()
            }
            RowLayout {
                spacing: 12
                Image {
                    objectName: "agent.icon"
                    source: root.model.iconSource
                    visible: source.toString().length > 0
                    Layout.preferredWidth: 48
                    Layout.preferredHeight: 48
                    sourceSize: Qt.size(96, 96)
                    Accessible.ignored: true
                }
                Label {
                    objectName: "agent.title"
                    Layout.fillWidth: true
                    text: qsTr("%1 wants you to sign in").arg(root.appTitle)
                    wrapMode: Text.WordWrap
                    color: Theme.text
                    font.pixelSize: 18
                    font.weight: Font.DemiBold
                    Accessible.role: Accessible.Heading
                    Accessible.name: text
                }
            }
            Label {
                objectName: "agent.reason"
                Layout.fillWidth: true
                visible: root.model.reason.length > 0
                wrapMode: Text.WordWrap
                text: qsTr("Reason given: %1").arg(root.model.reason)
                color: Theme.text
                font.pixelSize: Theme.bodySize
                Accessible.role: Accessible.StaticText
                Accessible.name: qsTr("Reason the application gives")
                Accessible.description: root.model.reason
            }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                text: qsTr("It gets a sign-in of its own as %1, with only what your roles allow of:")
                      .arg(AppController.login.username)
                color: Theme.secondaryText
                font.pixelSize: Theme.bodySize
                Accessible.role: Accessible.StaticText
                Accessible.name: text
            }
            Repeater {
                model: root.model.permissions
                delegate: Label {
                    required property var modelData
                    required property int index
                    objectName: "agent.permission." + index
                    Layout.fillWidth: true
                    Layout.leftMargin: 8
                    wrapMode: Text.WordWrap
                    text: "• " + modelData.description + "  (" + modelData.name + ")"
                          + (modelData.twoFactor ? " — " + qsTr("needs a two-factor sign-in") : "")
                    color: Theme.text
                    font.pixelSize: Theme.bodySize
                    Accessible.role: Accessible.StaticText
                    Accessible.name: qsTr("Permission: %1").arg(modelData.description)
                    Accessible.description: modelData.name
                }
            }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                visible: !root.model.finished
                text: qsTr("Your password and codes stay here: the application never sees them.")
                color: Theme.secondaryText
                font.pixelSize: Theme.smallSize
                Accessible.role: Accessible.StaticText
                Accessible.name: text
            }
            MessageBox {
                objectName: "agent.error"
                text: root.model.error
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: 8
                PrimaryButton {
                    id: allow
                    objectName: "agent.allow"
                    visible: !root.model.finished
                    text: qsTr("Allow")
                    Accessible.description: qsTr("Sign %1 in with your account").arg(root.appTitle)
                    busy: AppController.busy
                    enabled: !AppController.busy
                    onClicked: root.model.allow()
                }
                Button {
                    objectName: "agent.deny"
                    visible: !root.model.finished
                    text: qsTr("Deny")
                    implicitHeight: 40
                    Accessible.name: qsTr("Deny %1").arg(root.appTitle)
                    Accessible.onPressAction: clicked()
                    Keys.onReturnPressed: clicked()
                    Keys.onEnterPressed: clicked()
                    onClicked: root.model.deny()
                }
                Button {
                    objectName: "agent.cancel"
                    visible: !root.model.finished
                    text: qsTr("Cancel")
                    implicitHeight: 40
                    Accessible.name: text
                    Accessible.onPressAction: clicked()
                    Keys.onReturnPressed: clicked()
                    Keys.onEnterPressed: clicked()
                    onClicked: root.model.cancel()
                }
                Button {
                    id: close
                    objectName: "agent.close"
                    visible: root.model.finished
                    Layout.fillWidth: true
                    text: qsTr("Close")
                    implicitHeight: 40
                    Accessible.name: text
                    Accessible.onPressAction: clicked()
                    Keys.onReturnPressed: clicked()
                    Keys.onEnterPressed: clicked()
                    onClicked: root.model.dismiss()
                }
            }
        }
    }
}
