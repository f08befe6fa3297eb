import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

// Active sessions: your sessions (every account's for an administrator) with their client, age,
// last activity, live idle and absolute countdowns, factors and assurance; end one, or all others.
// Ending sessions needs a recent sign-in: when it has lapsed the screen asks for it first.
ScreenPage {
    id: page
    objectName: "sessionsScreen"
    cardWidth: 720

    readonly property SessionsModel model: AppController.sessions

    // Never "End all my other sessions" first: the sidebar's entry takes the first focus.
    function focusFirst() { return false }

    title: qsTr("Active sessions")
    subtitle: model.allUsers ? qsTr("Every account's open sessions. Ending one signs out whoever holds it within a second.")
                             : qsTr("Your open sessions. Ending one signs it out within a second, wherever it is.")

    MessageBox {
        objectName: "sessions.notice"
        kind: "notice"
        text: page.model.notice
    }
    MessageBox {
        objectName: "sessions.error"
        text: page.model.error
    }

    // Step-up: confirm it's you, then the action runs.
    Rectangle {
        objectName: "sessions.stepUp"
        visible: page.model.stepUpNeeded
        Layout.fillWidth: true
        implicitHeight: stepUpColumn.implicitHeight + 24
        radius: 6
        color: Theme.noticeBackground
        border.color: Theme.accent
        onVisibleChanged: if (visible) stepUpPassword.forceFocus()

        ColumnLayout {
            id: stepUpColumn
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.top: parent.top
            anchors.margins: 12
            spacing: 8
            Label {
                Layout.fillWidth: true
                text: qsTr("Confirm it's you: your last sign-in is more than 5 minutes old. Enter your password%1 to continue.")
                      .arg(page.model.stepUpNeedsCode ? qsTr(" and a code from your authenticator app") : "")
                wrapMode: Text.WordWrap
                color: Theme.text
                font.pixelSize: Theme.bodySize
                Accessible.role: Accessible.StaticText
                Accessible.name: qsTr("Confirm it's you")
                Accessible.description: text
            }
            PasswordField {
                id: stepUpPassword
                label: qsTr("Password")
                fieldObjectName: "sessions.stepUpPassword"
                onAccepted: page.model.stepUpNeedsCode ? stepUpCode.forceFocus() : confirm.clicked()
            }
            CodeField {
                id: stepUpCode
                fieldObjectName: "sessions.stepUpCode"
                toggleObjectName: "sessions.showStepUpCode"
                visible: page.model.stepUpNeedsCode
                numeric: false
                label: qsTr("Second factor code")
                placeholderText: qsTr("Authenticator or recovery code")
                onAccepted: confirm.clicked()
            }
            MessageBox {
                objectName: "sessions.stepUpError"
                text: page.model.stepUpError
            }
            RowLayout {
                Layout.fillWidth: true
                PrimaryButton {
                    id: confirm
                    objectName: "sessions.stepUpConfirm"
                    Layout.fillWidth: true
                    text: qsTr("Confirm")
                    busy: AppController.busy
                    enabled: stepUpPassword.length > 0 && !AppController.busy
                    onClicked: {
                        page.model.stepUp(stepUpPassword.input, stepUpCode.input)
                        stepUpPassword.clear()
                        stepUpCode.clear()
                    }
                }
                Button {
                    objectName: "sessions.stepUpCancel"
                    text: qsTr("Cancel")
                    implicitHeight: 40
                    onClicked: page.model.cancelStepUp()
                    Accessible.name: text
                    Accessible.onPressAction: if (enabled) clicked()
                }
            }
        }
    }

    BusyIndicator {
        objectName: "sessions.busy"
        Layout.alignment: Qt.AlignHCenter
        visible: page.model.loading && page.model.count === 0
        running: visible
        Accessible.name: qsTr("Loading sessions")
    }

    Repeater {
        model: page.model
        delegate: Rectangle {
            id: row
            required property int index
            required property string sessionId
            required property string username
            required property string client
            required property string created
            required property string lastActive
            required property string idleLeft
            required property string absoluteLeft
            required property string factors
            required property string aal
            required property string assurance
            required property bool current

            objectName: "sessions.row." + index
            Layout.fillWidth: true
            implicitHeight: rowColumn.implicitHeight + 24
            radius: 6
            color: current ? Theme.noticeBackground : Theme.surfaceAlt
            border.color: current ? Theme.accent : Theme.border
            Accessible.role: Accessible.ListItem
            Accessible.name: (current ? qsTr("This session") : qsTr("Session")) + " " + sessionId.substring(0, 8)
                             + ", " + username + ", " + client
            Accessible.description: qsTr("idle time left %1, absolute time left %2, %3, %4")
                                    .arg(idleLeft).arg(absoluteLeft).arg(factors).arg(assurance + " (" + aal + ")")

            ColumnLayout {
                id: rowColumn
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.top: parent.top
                anchors.margins: 12
                spacing: 4
                RowLayout {
                    Layout.fillWidth: true
                    Label {
                        Layout.fillWidth: true
                        objectName: "sessions.client." + row.index
                        text: row.username + " · " + row.client
                        // Wrapped, not cut: the end names the process the bus vouched for.
                        wrapMode: Text.WrapAtWordBoundaryOrAnywhere
                        color: Theme.text
                        font.pixelSize: Theme.bodySize
                        font.weight: Font.DemiBold
                        Accessible.ignored: true
                    }
                    Label {
                        objectName: "sessions.current." + row.index
                        visible: row.current
                        text: qsTr("This session")
                        color: Theme.accent
                        font.pixelSize: Theme.smallSize
                        font.weight: Font.DemiBold
                        Accessible.ignored: true
                    }
                    Button {
                        objectName: "sessions.revoke." + row.index
                        text: row.current ? qsTr("Sign out") : qsTr("End")
                        enabled: !AppController.busy
                        onClicked: page.model.revoke(row.sessionId)
                        Accessible.name: row.current ? qsTr("Sign out of this session")
                                                     : qsTr("End session %1").arg(row.sessionId.substring(0, 8))
                        Accessible.onPressAction: if (enabled) clicked()
                        Keys.onReturnPressed: clicked()
                        Keys.onEnterPressed: clicked()
                    }
                }
                Label {
                    Layout.fillWidth: true
                    text: qsTr("Started %1 · last active %2").arg(row.created).arg(row.lastActive)
                    color: Theme.secondaryText
                    font.pixelSize: Theme.smallSize + 1
                    Accessible.ignored: true
                }
                Label {
                    objectName: "sessions.countdown." + row.index
                    Layout.fillWidth: true
                    text: qsTr("Idle time left %1 · ends in %2 at the latest").arg(row.idleLeft).arg(row.absoluteLeft)
                    color: Theme.text
                    font.pixelSize: Theme.smallSize + 1
                    Accessible.ignored: true
                }
                Label {
                    Layout.fillWidth: true
                    text: qsTr("%1 · %2 · ID %3").arg(row.factors).arg(row.assurance).arg(row.sessionId.substring(0, 8))
                    color: Theme.secondaryText
                    font.pixelSize: Theme.smallSize + 1
                    Accessible.ignored: true
                    // The assurance level's technical name on demand.
                    HoverHandler { id: aalHover }
                    ToolTip.visible: aalHover.hovered
                    ToolTip.text: qsTr("Assurance level %1 (NIST SP 800-63B)").arg(row.aal)
                }
            }
        }
    }

    PrimaryButton {
        id: revokeOthers
        objectName: "sessions.revokeOthers"
        text: qsTr("End all my other sessions")
        busy: AppController.busy
        enabled: !AppController.busy && !page.model.stepUpNeeded
        onClicked: page.model.revokeOthers()
    }
}
