import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

// People (for roles that hold users.read): every account with its state, second factors, roles,
// last sign-in and open sessions; search; add a person; disable/enable, unlock, reset a password,
// remove a factor, end sessions, delete. Actions show only when the session's roles allow them
// (core checks again); each destructive one asks first, naming what will happen (Escape cancels).
ScreenPage {
    id: page
    objectName: "peopleScreen"
    cardWidth: 760

    readonly property PeopleModel model: AppController.people

    function focusFirst() { search.forceFocus() }

    // Asks before `action` ("disable", "endSessions", "reset", "delete") on `who`, then runs it.
    function confirmAction(action, who, heading, confirmLabel, run) {
        confirmDialog.ask(heading, page.model.confirmText(action, who), confirmLabel, run,
                          page.model.guardFor(action, who))
    }

    component Fact: Label {
        property string who
        property string what
        color: Theme.text
        font.pixelSize: Theme.smallSize + 1
        wrapMode: Text.WordWrap
        Layout.fillWidth: true
        Accessible.role: Accessible.StaticText
        Accessible.name: qsTr("%1 of %2").arg(what).arg(who)
        Accessible.description: text
    }
    component Key: Label {
        color: Theme.secondaryText
        font.pixelSize: Theme.smallSize + 1
        Layout.alignment: Qt.AlignTop
        Accessible.ignored: true
    }
    component Action: Button {
        font.pixelSize: Theme.smallSize + 1
        enabled: !AppController.busy
        Accessible.onPressAction: if (enabled) clicked()
        Keys.onReturnPressed: if (enabled) clicked()
        Keys.onEnterPressed: if (enabled) clicked()
    }

    title: qsTr("People")
    subtitle: qsTr("Every account, its state, second factors, roles and sessions. You see the actions your roles allow; Gatehouse checks each one again.")

    MessageBox {
        objectName: "people.notice"
        kind: "notice"
        text: page.model.notice
    }
    MessageBox {
        objectName: "people.error"
        text: page.model.error
    }

    // --- The temporary password just issued: shown once ---
    Rectangle {
        objectName: "people.issued"
        visible: page.model.issuedPassword.length > 0
        Layout.fillWidth: true
        implicitHeight: issuedColumn.implicitHeight + 28
        radius: 8
        color: Theme.noticeBackground
        border.color: Theme.accent
        border.width: 2
        onVisibleChanged: if (visible) copyButton.forceActiveFocus(Qt.TabFocusReason)

        ColumnLayout {
            id: issuedColumn
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.top: parent.top
            anchors.margins: 14
            spacing: 8
            Text {
                text: qsTr("Temporary password for %1").arg(page.model.issuedFor)
                color: Theme.text
                font.pixelSize: Theme.bodySize + 2
                font.weight: Font.DemiBold
                Accessible.role: Accessible.Heading
                Accessible.name: text
            }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                text: page.model.issuedText
                color: Theme.text
                font.pixelSize: Theme.bodySize
                Accessible.role: Accessible.StaticText
                Accessible.name: qsTr("About the temporary password")
                Accessible.description: text
            }
            Rectangle {
                Layout.fillWidth: true
                implicitHeight: issuedText.implicitHeight + 16
                radius: 4
                color: Theme.surface
                border.color: Theme.border
                TextEdit {
                    id: issuedText
                    objectName: "people.issuedPassword"
                    anchors.centerIn: parent
                    text: page.model.issuedPassword
                    readOnly: true
                    selectByMouse: true
                    color: Theme.text
                    selectionColor: Theme.accent
                    selectedTextColor: Theme.accentText
                    font.family: "monospace"
                    font.pixelSize: 20
                    Accessible.role: Accessible.StaticText
                    Accessible.name: qsTr("Temporary password")
                    Accessible.description: text
                }
            }
            Label {
                objectName: "people.issuedExpires"
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                text: qsTr("Valid until %1 (72 hours), once. It is shown only now.").arg(page.model.issuedExpires)
                color: Theme.secondaryText
                font.pixelSize: Theme.smallSize + 1
                Accessible.role: Accessible.StaticText
                Accessible.name: qsTr("Valid until")
                Accessible.description: text
            }
            RowLayout {
                spacing: 8
                Button {
                    id: copyButton
                    objectName: "people.copyIssued"
                    text: qsTr("Copy")
                    onClicked: page.model.copyIssued()
                    Accessible.name: qsTr("Copy the temporary password")
                    Accessible.description: qsTr("The clipboard is cleared after 30 seconds if it still holds it.")
                    Accessible.onPressAction: if (enabled) clicked()
                    Keys.onReturnPressed: clicked()
                    Keys.onEnterPressed: clicked()
                }
                Button {
                    objectName: "people.dismissIssued"
                    text: qsTr("I have handed it over")
                    onClicked: { page.model.dismissIssued(); search.forceFocus() }
                    Accessible.name: qsTr("Hide the temporary password")
                    Accessible.onPressAction: if (enabled) clicked()
                    Keys.onReturnPressed: clicked()
                    Keys.onEnterPressed: clicked()
                }
            }
        }
    }

    // --- Search and add ---
    RowLayout {
        Layout.fillWidth: true
        spacing: 10
        Field {
            id: search
            Layout.fillWidth: true
            label: qsTr("Search")
            fieldObjectName: "people.search"
            placeholderText: qsTr("Name, role or state")
            text: page.model.search
            onTextEdited: page.model.search = search.text
        }
        Button {
            id: addButton
            objectName: "people.add"
            Layout.alignment: Qt.AlignBottom
            implicitHeight: Theme.fieldHeight
            visible: page.model.canManage && !page.model.adding
            text: qsTr("Add a person…")
            onClicked: { page.model.openAdd(); addName.forceFocus() }
            Accessible.name: qsTr("Add a person")
            Accessible.onPressAction: if (enabled) clicked()
            Keys.onReturnPressed: clicked()
            Keys.onEnterPressed: clicked()
        }
    }

    Rectangle {
        objectName: "people.addForm"
        visible: page.model.adding
        Layout.fillWidth: true
        implicitHeight: addColumn.implicitHeight + 28
        radius: 8
        color: Theme.surfaceAlt
        border.color: Theme.border

        ColumnLayout {
            id: addColumn
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.top: parent.top
            anchors.margins: 14
            spacing: 10
            Text {
                text: qsTr("Add a person")
                color: Theme.text
                font.pixelSize: Theme.bodySize + 1
                font.weight: Font.DemiBold
                Accessible.role: Accessible.Heading
                Accessible.name: text
            }
            Field {
                id: addName
                label: qsTr("Username")
                fieldObjectName: "people.addName"
                placeholderText: qsTr("e.g. carol")
                readonly property string problem: text.length > 0 ? page.model.nameProblem(text) : ""
                readonly property string normalised: problem.length === 0 && text.length > 0 ? page.model.normalisedName(text) : ""
                hint: problem.length > 0 ? problem
                      : normalised.length > 0 && normalised !== text ? qsTr("Will be added as “%1”.").arg(normalised)
                      : qsTr("Letters, digits, '.', '_' or '-'; upper case is folded to lower case.")
                hintIsError: problem.length > 0
                input.Accessible.description: hint
                onAccepted: addConfirm.clicked()
            }
            Label {
                objectName: "people.addNameProblem"
                visible: false // the hint above shows it; kept for tests and screen readers
                text: addName.problem
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: 10
                Label {
                    text: qsTr("Role")
                    color: Theme.text
                    font.pixelSize: Theme.bodySize
                    font.weight: Font.Medium
                    Accessible.ignored: true
                }
                // Starts at "no role": any role, admin above all, is a choice.
                ComboBox {
                    id: addRole
                    objectName: "people.addRole"
                    implicitWidth: 200
                    enabled: page.model.canAssignRoles
                    model: [qsTr("no role")].concat(page.model.roleNames)
                    currentIndex: 0
                    onModelChanged: currentIndex = 0
                    Accessible.name: qsTr("Role of the new account")
                }
                Item { Layout.fillWidth: true }
            }
            RowLayout {
                spacing: 8
                PrimaryButton {
                    id: addConfirm
                    objectName: "people.addConfirm"
                    Layout.fillWidth: false
                    Layout.preferredWidth: 140
                    text: qsTr("Add")
                    busy: AppController.busy
                    enabled: !AppController.busy && addName.text.length > 0 && addName.problem.length === 0
                    onClicked: page.model.addPerson(addName.text, addRole.currentIndex > 0 ? addRole.currentText : "")
                    Accessible.name: qsTr("Add the account")
                }
                Button {
                    objectName: "people.addCancel"
                    text: qsTr("Cancel")
                    implicitHeight: 40
                    onClicked: { page.model.closeAdd(); addName.text = ""; addButton.forceActiveFocus(Qt.TabFocusReason) }
                    Accessible.name: qsTr("Cancel adding")
                    Accessible.onPressAction: if (enabled) clicked()
                    Keys.onReturnPressed: clicked()
                    Keys.onEnterPressed: clicked()
                }
            }
        }
        Keys.onEscapePressed: { page.model.closeAdd(); addName.text = ""; addButton.forceActiveFocus(Qt.TabFocusReason) }
    }

    SectionHeader {
        text: page.model.search.length > 0 ? qsTr("%1 of %Ln account(s)", "", page.model.total).arg(page.model.people.length)
                                           : qsTr("%Ln account(s)", "", page.model.total)
    }

    BusyIndicator {
        Layout.alignment: Qt.AlignHCenter
        visible: page.model.loading && page.model.total === 0
        running: visible
        Accessible.name: qsTr("Loading")
    }
    Label {
        objectName: "people.none"
        visible: !page.model.loading && page.model.total > 0 && page.model.people.length === 0
        text: qsTr("Nobody matches “%1”.").arg(page.model.search)
        color: Theme.secondaryText
        font.pixelSize: Theme.bodySize
    }

    Repeater {
        model: page.model.people
        delegate: Rectangle {
            id: row
            required property var modelData
            required property int index
            readonly property string who: modelData.username
            objectName: "people.row." + who

            Layout.fillWidth: true
            implicitHeight: rowColumn.implicitHeight + 24
            radius: 6
            color: Theme.surfaceAlt
            border.color: modelData.state === "locked" || modelData.state === "disabled" || modelData.state === "throttled"
                          ? Theme.error : Theme.border

            ColumnLayout {
                id: rowColumn
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.top: parent.top
                anchors.margins: 12
                spacing: 6
                RowLayout {
                    Layout.fillWidth: true
                    spacing: 10
                    Text {
                        text: row.who + (row.modelData.self ? qsTr(" (you)") : "")
                        color: Theme.text
                        font.pixelSize: Theme.bodySize + 2
                        font.weight: Font.DemiBold
                        Accessible.role: Accessible.Heading
                        Accessible.name: row.who
                    }
                    Rectangle {
                        implicitWidth: stateLabel.implicitWidth + 14
                        implicitHeight: stateLabel.implicitHeight + 6
                        radius: 4
                        color: row.modelData.state === "enabled" ? Theme.noticeBackground
                             : row.modelData.state === "temporary" ? Theme.noticeBackground : Theme.errorBackground
                        Label {
                            id: stateLabel
                            objectName: "people.state." + row.who
                            anchors.centerIn: parent
                            text: row.modelData.stateText
                            color: row.modelData.state === "enabled" || row.modelData.state === "temporary" ? Theme.text : Theme.error
                            font.pixelSize: Theme.smallSize
                            Accessible.role: Accessible.StaticText
                            Accessible.name: qsTr("State of %1").arg(row.who)
                            Accessible.description: text
                        }
                    }
                    Item { Layout.fillWidth: true }
                }
                GridLayout {
                    Layout.fillWidth: true
                    columns: 2
                    columnSpacing: 12
                    rowSpacing: 2
                    Key { text: qsTr("Roles") }
                    Fact { objectName: "people.roles." + row.who; who: row.who; what: qsTr("Roles"); text: row.modelData.rolesText }
                    Key { text: qsTr("Second factors") }
                    Fact { objectName: "people.factors." + row.who; who: row.who; what: qsTr("Second factors"); text: row.modelData.factorsText }
                    Key { text: qsTr("Last sign-in") }
                    Fact { objectName: "people.lastLogin." + row.who; who: row.who; what: qsTr("Last sign-in"); text: row.modelData.lastLogin }
                    Key { text: qsTr("Open sessions") }
                    Fact { objectName: "people.sessions." + row.who; who: row.who; what: qsTr("Open sessions"); text: row.modelData.sessionsText }
                }
                // Another person's factors, each removable (lost phone, lost key) with a reason.
                Flow {
                    Layout.fillWidth: true
                    spacing: 6
                    visible: page.model.canManageFactors && !row.modelData.self && row.modelData.factors.length > 0
                    Repeater {
                        model: row.modelData.factors
                        delegate: Button {
                            required property var modelData
                            required property int index
                            objectName: "people.removeFactor." + row.who + "." + index
                            text: qsTr("Remove %1…").arg(modelData.title.toLowerCase())
                            font.pixelSize: Theme.smallSize + 1
                            enabled: !AppController.busy
                            palette.buttonText: Theme.error
                            onClicked: {
                                const id = modelData.id
                                const who = row.who
                                confirmDialog.ask(qsTr("Remove a factor"), page.model.confirmText("removeFactor", who, id),
                                                  qsTr("Remove it"),
                                                  function(reason) { page.model.removeFactor(who, id, reason) },
                                                  "", qsTr("Reason (e.g. lost phone)"))
                            }
                            Accessible.name: qsTr("Remove %1 of %2").arg(modelData.title).arg(row.who)
                                             + (modelData.detail.length > 0 ? " (" + modelData.detail + ")" : "")
                            Accessible.onPressAction: if (enabled) clicked()
                            Keys.onReturnPressed: if (enabled) clicked()
                            Keys.onEnterPressed: if (enabled) clicked()
                        }
                    }
                }
                Flow {
                    Layout.fillWidth: true
                    spacing: 6
                    Action {
                        objectName: "people.unlock." + row.who
                        visible: page.model.canManage && (row.modelData.locked || row.modelData.throttled)
                        text: qsTr("Unlock")
                        onClicked: page.model.unlock(row.who)
                        Accessible.name: qsTr("Unlock %1").arg(row.who)
                    }
                    Action {
                        objectName: "people.enable." + row.who
                        visible: page.model.canManage && !row.modelData.enabled
                        text: qsTr("Enable")
                        onClicked: page.model.setAccountEnabled(row.who, true)
                        Accessible.name: qsTr("Enable %1").arg(row.who)
                    }
                    Action {
                        objectName: "people.disable." + row.who
                        visible: page.model.canManage && row.modelData.enabled && !row.modelData.self
                        text: qsTr("Disable…")
                        onClicked: page.confirmAction("disable", row.who, qsTr("Disable an account"), qsTr("Disable %1").arg(row.who),
                                                      function() { page.model.setAccountEnabled(row.who, false) })
                        Accessible.name: qsTr("Disable %1").arg(row.who)
                    }
                    Action {
                        objectName: "people.reset." + row.who
                        visible: page.model.canManage && !row.modelData.self
                        text: qsTr("Reset password…")
                        onClicked: page.confirmAction("reset", row.who, qsTr("Reset a password"), qsTr("Reset the password"),
                                                      function() { page.model.resetPassword(row.who) })
                        Accessible.name: qsTr("Reset the password of %1").arg(row.who)
                    }
                    Action {
                        objectName: "people.endSessions." + row.who
                        visible: page.model.canEndSessions && !row.modelData.self && row.modelData.sessionCount > 0
                        text: qsTr("End sessions…")
                        onClicked: page.confirmAction("endSessions", row.who, qsTr("End sessions"), qsTr("End them"),
                                                      function() { page.model.endSessions(row.who) })
                        Accessible.name: qsTr("End the open sessions of %1").arg(row.who)
                    }
                    Action {
                        objectName: "people.delete." + row.who
                        visible: page.model.canManage
                        text: qsTr("Delete…")
                        palette.buttonText: Theme.error
                        onClicked: page.confirmAction("delete", row.who, qsTr("Delete an account"), qsTr("Delete %1").arg(row.who),
                                                      function() { page.model.deletePerson(row.who) })
                        Accessible.name: qsTr("Delete the account %1").arg(row.who)
                    }
                }
            }
        }
    }

    ConfirmDialog { id: confirmDialog }
}
