import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

// Roles (administrators only): who holds which role, assign and remove (the window's step-up dialog
// confirms it's you when the sign-in is older than 5 minutes), and custom roles with a permission checklist. Core
// checks every change; refusals come back with the reason (last administrator, missing permission).
ScreenPage {
    id: page
    objectName: "rolesScreen"
    cardWidth: 720

    readonly property RolesModel model: AppController.roles
    // The custom role being edited in the form below ("" = a new one).
    property string editing: ""

    // The sidebar's entry takes the first focus (the list's first row may be a Remove).
    function focusFirst() { return false }
    // Every row of the checklist, Gatehouse's group first, then each application's.
    function checkRows() {
        const out = []
        for (let g = 0; g < permissionGroups.count; ++g) {
            const group = permissionGroups.itemAt(g)
            if (!group)
                continue
            for (let i = 0; i < group.rows.count; ++i)
                out.push(group.rows.itemAt(i))
        }
        return out
    }
    function editRole(role) {
        page.editing = role.name
        roleName.text = role.name
        roleDescription.text = role.description
        for (const row of checkRows())
            row.checked = role.permissions.indexOf(row.permission) >= 0
        roleName.forceFocus()
    }
    function clearForm() {
        page.editing = ""
        roleName.text = ""
        roleDescription.text = ""
        for (const row of checkRows())
            row.checked = false
    }
    function checkedPermissions() {
        const out = []
        for (const row of checkRows())
            if (row.checked)
                out.push(row.permission)
        return out
    }

    title: qsTr("Roles")
    subtitle: qsTr("What each account may do. Changes apply at once, also to sessions that are open now.")

    MessageBox {
        objectName: "roles.notice"
        kind: "notice"
        text: page.model.notice
    }
    MessageBox {
        objectName: "roles.error"
        text: page.model.error
    }

    SectionHeader { text: qsTr("People") }

    BusyIndicator {
        Layout.alignment: Qt.AlignHCenter
        visible: page.model.loading && page.model.users.length === 0
        running: visible
        Accessible.name: qsTr("Loading")
    }

    Repeater {
        model: page.model.users
        delegate: Rectangle {
            id: userRow
            required property var modelData
            required property int index
            objectName: "roles.user." + modelData.username

            Layout.fillWidth: true
            implicitHeight: userColumn.implicitHeight + 20
            radius: 6
            color: Theme.surfaceAlt
            border.color: Theme.border

            ColumnLayout {
                id: userColumn
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.top: parent.top
                anchors.margins: 10
                spacing: 6
                RowLayout {
                    Layout.fillWidth: true
                    spacing: 8
                    Label {
                        text: userRow.modelData.username + (userRow.modelData.enabled ? "" : qsTr(" (disabled)"))
                        color: Theme.text
                        font.pixelSize: Theme.bodySize + 1
                        font.weight: Font.DemiBold
                        Layout.preferredWidth: 130
                        elide: Text.ElideRight
                        Accessible.role: Accessible.Heading
                        Accessible.name: userRow.modelData.username
                    }
                    Flow {
                        Layout.fillWidth: true
                        spacing: 6
                        Label {
                            visible: userRow.modelData.roles.length === 0
                            text: qsTr("no role")
                            color: Theme.secondaryText
                            font.pixelSize: Theme.smallSize + 1
                        }
                        Repeater {
                            model: userRow.modelData.roles
                            delegate: Rectangle {
                                id: chip
                                required property string modelData
                                implicitWidth: chipRow.implicitWidth + 12
                                implicitHeight: 26
                                radius: 13
                                color: Theme.noticeBackground
                                border.color: Theme.accent
                                Row {
                                    id: chipRow
                                    anchors.centerIn: parent
                                    spacing: 2
                                    Label {
                                        objectName: "roles.chip." + userRow.modelData.username + "." + chip.modelData
                                        text: chip.modelData
                                        color: Theme.text
                                        font.pixelSize: Theme.smallSize + 1
                                        anchors.verticalCenter: parent.verticalCenter
                                        leftPadding: 4
                                        Accessible.role: Accessible.StaticText
                                        Accessible.name: qsTr("Role %1").arg(chip.modelData) // one name a chip
                                        Accessible.description: qsTr("held by %1").arg(userRow.modelData.username)
                                    }
                                    ToolButton {
                                        objectName: "roles.remove." + userRow.modelData.username + "." + chip.modelData
                                        text: "\u00d7"
                                        implicitWidth: 22
                                        implicitHeight: 22
                                        font.pixelSize: Theme.bodySize
                                        enabled: !AppController.busy
                                        focusPolicy: Qt.StrongFocus
                                        onClicked: {
                                            const who = userRow.modelData.username
                                            const role = chip.modelData
                                            confirmDialog.ask(qsTr("Remove a role"), page.model.removalText(who, role),
                                                              qsTr("Remove %1").arg(role),
                                                              function() { page.model.revoke(who, role) },
                                                              page.model.removalGuard(who, role))
                                        }
                                        Accessible.name: qsTr("Remove the role %1 from %2").arg(chip.modelData).arg(userRow.modelData.username)
                                        Accessible.onPressAction: if (enabled) clicked()
                                        ToolTip.visible: hovered
                                        ToolTip.text: Accessible.name
                                    }
                                }
                            }
                        }
                    }
                    // No role is preselected: granting one (admin above all) is a choice, never
                    // the default of a click on Assign.
                    ComboBox {
                        id: rolePicker
                        objectName: "roles.pick." + userRow.modelData.username
                        implicitWidth: 150
                        model: page.model.roleNames.filter(n => userRow.modelData.roles.indexOf(n) < 0)
                        currentIndex: -1
                        displayText: currentIndex < 0 ? qsTr("Choose a role…") : currentText
                        onModelChanged: currentIndex = -1
                        Accessible.name: qsTr("Role to give %1").arg(userRow.modelData.username)
                    }
                    Button {
                        objectName: "roles.assign." + userRow.modelData.username
                        text: qsTr("Assign")
                        enabled: rolePicker.currentIndex >= 0 && !AppController.busy
                        onClicked: page.model.assign(userRow.modelData.username, rolePicker.currentText)
                        Accessible.name: rolePicker.currentIndex < 0
                                         ? qsTr("Give %1 the chosen role").arg(userRow.modelData.username)
                                         : qsTr("Give %1 the role %2").arg(userRow.modelData.username).arg(rolePicker.currentText)
                        Accessible.onPressAction: if (enabled) clicked()
                        Keys.onReturnPressed: clicked()
                    }
                }
            }
        }
    }

    SectionHeader { text: qsTr("Roles and permissions") }

    Repeater {
        model: page.model.roles
        delegate: RowLayout {
            id: roleRow
            required property var modelData
            objectName: "roles.role." + modelData.name
            Layout.fillWidth: true
            spacing: 8
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 2
                Label {
                    text: roleRow.modelData.name + "  ·  " + (roleRow.modelData.builtIn ? qsTr("built-in") : qsTr("custom"))
                          + "  ·  " + (roleRow.modelData.holders === 1 ? qsTr("1 account") : qsTr("%1 accounts").arg(roleRow.modelData.holders))
                    color: Theme.text
                    font.pixelSize: Theme.bodySize
                    font.weight: Font.DemiBold
                    Accessible.role: Accessible.Heading
                    Accessible.name: roleRow.modelData.name
                }
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.WordWrap
                    text: (roleRow.modelData.description.length > 0 ? roleRow.modelData.description + " — " : "")
                          + roleRow.modelData.permissionsText
                    color: Theme.secondaryText
                    font.pixelSize: Theme.smallSize + 1
                    Accessible.role: Accessible.StaticText
                    Accessible.name: qsTr("Permissions of %1").arg(roleRow.modelData.name)
                    Accessible.description: text
                }
            }
            Button {
                objectName: "roles.edit." + roleRow.modelData.name
                visible: !roleRow.modelData.builtIn
                text: qsTr("Edit")
                onClicked: page.editRole(roleRow.modelData)
                onActiveFocusChanged: if (activeFocus) page.ensureVisible(this)
                Accessible.name: qsTr("Edit the role %1").arg(roleRow.modelData.name)
                Accessible.onPressAction: if (enabled) clicked()
            }
            Button {
                objectName: "roles.delete." + roleRow.modelData.name
                visible: !roleRow.modelData.builtIn
                text: qsTr("Delete")
                enabled: !AppController.busy
                palette.buttonText: Theme.error
                onClicked: {
                    const name = roleRow.modelData.name
                    const holders = roleRow.modelData.holders
                    confirmDialog.ask(qsTr("Delete a role"),
                                      holders === 0 ? qsTr("Delete the role %1? Nobody holds it.").arg(name)
                                                    : qsTr("Delete the role %1? The %Ln account(s) holding it lose what it allows at once.", "", holders).arg(name),
                                      qsTr("Delete %1").arg(name), function() { page.model.deleteRole(name) })
                }
                onActiveFocusChanged: if (activeFocus) page.ensureVisible(this)
                Accessible.name: qsTr("Delete the role %1").arg(roleRow.modelData.name)
                Accessible.onPressAction: if (enabled) clicked()
            }
        }
    }

    SectionHeader { text: page.editing.length > 0 ? qsTr("Edit custom role %1").arg(page.editing) : qsTr("New custom role") }

    Field {
        id: roleName
        label: qsTr("Name")
        fieldObjectName: "roles.name"
        placeholderText: qsTr("e.g. auditor")
        hint: qsTr("Lower-case letters, digits, '.', '_' or '-'.")
        input.readOnly: page.editing.length > 0
        input.onActiveFocusChanged: if (input.activeFocus) page.ensureVisible(roleName)
    }
    Field {
        id: roleDescription
        label: qsTr("Description")
        fieldObjectName: "roles.description"
        visible: page.editing.length === 0
        input.onActiveFocusChanged: if (input.activeFocus) page.ensureVisible(roleDescription)
    }
    Label {
        text: qsTr("Permissions (you can grant only those you hold yourself)")
        color: Theme.text
        font.pixelSize: Theme.bodySize
        font.weight: Font.Medium
    }
    // Grouped by who defines them (issue 11): Gatehouse's own, then a heading per application
    // that declares permissions; each id with its description beside it.
    Repeater {
        id: permissionGroups
        model: page.model.permissionGroups
        delegate: ColumnLayout {
            id: group
            required property var modelData
            property alias rows: groupRows
            objectName: "roles.group." + modelData.key
            Layout.fillWidth: true
            spacing: 2
            Label {
                objectName: "roles.groupTitle." + group.modelData.key
                Layout.topMargin: 6
                text: group.modelData.title
                color: Theme.text
                font.pixelSize: Theme.bodySize
                font.weight: Font.DemiBold
                Accessible.role: Accessible.Heading
                Accessible.name: text
            }
            Repeater {
                id: groupRows
                model: group.modelData.permissions
                delegate: RowLayout {
                    id: row
                    required property var modelData
                    readonly property string permission: modelData.name
                    property alias checked: box.checked
                    Layout.fillWidth: true
                    spacing: 8
                    CheckBox {
                        id: box
                        objectName: "roles.perm." + row.modelData.name
                        Layout.preferredWidth: 210
                        Layout.alignment: Qt.AlignTop
                        text: row.modelData.name
                        enabled: row.modelData.held
                        font.pixelSize: Theme.smallSize + 1
                        ToolTip.visible: hovered && !row.modelData.held
                        ToolTip.text: qsTr("You do not hold %1, so you cannot grant it.").arg(row.modelData.name)
                        Accessible.name: row.modelData.name
                        Accessible.description: row.modelData.description
                        Accessible.onToggleAction: if (enabled) toggle()
                        Accessible.onPressAction: if (enabled) toggle()
                        onActiveFocusChanged: if (activeFocus) page.ensureVisible(row)
                    }
                    Label {
                        objectName: "roles.permText." + row.modelData.name
                        Layout.fillWidth: true
                        Layout.alignment: Qt.AlignVCenter
                        wrapMode: Text.WordWrap
                        text: row.modelData.description
                        color: Theme.secondaryText
                        font.pixelSize: Theme.smallSize + 1
                        Accessible.ignored: true // the check box carries it as its description
                    }
                }
            }
        }
    }
    RowLayout {
        Layout.fillWidth: true
        spacing: 8
        PrimaryButton {
            objectName: "roles.save"
            text: page.editing.length > 0 ? qsTr("Save role") : qsTr("Create role")
            enabled: roleName.text.trim().length > 0 && !AppController.busy
            busy: AppController.busy
            onClicked: page.model.saveRole(roleName.text, page.checkedPermissions(), roleDescription.text)
            onActiveFocusChanged: if (activeFocus) page.ensureVisible(this)
        }
        Button {
            objectName: "roles.clear"
            visible: page.editing.length > 0 || roleName.text.length > 0
            text: qsTr("Clear")
            implicitHeight: 40
            onClicked: page.clearForm()
            Accessible.name: qsTr("Clear the form")
            Accessible.onPressAction: if (enabled) clicked()
        }
    }

    ConfirmDialog { id: confirmDialog }
}
