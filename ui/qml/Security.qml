import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

// My security: the factors the account holds, with rename, remove (password again), new
// recovery codes and "add a factor" (the wizard).
ScreenPage {
    id: page
    objectName: "securityScreen"
    cardWidth: 640

    readonly property SecurityModel model: AppController.security

    function focusFirst() { addFactor.forceActiveFocus(Qt.TabFocusReason) } // with its focus ring

    title: qsTr("My security")
    subtitle: qsTr("The factors that protect %1's account. Sign-in needs your password and, once you have one, a second factor of another kind.")
              .arg(model.username)

    MessageBox {
        objectName: "security.notice"
        kind: "notice"
        text: page.model.notice
    }
    MessageBox {
        objectName: "security.error"
        text: page.model.error
    }
    InfoRow {
        label: qsTr("Sign-in")
        value: page.model.assurance
        valueObjectName: "security.assurance"
        detail: page.model.assuranceDetail
        detailObjectName: "security.aal"
        busy: page.model.loading && page.model.assurance.length === 0
    }

    SectionHeader { text: qsTr("Factors") }

    Repeater {
        model: page.model.factors
        delegate: Rectangle {
            id: row
            required property var modelData
            required property int index
            property bool renaming: false
            property bool removing: false

            Layout.fillWidth: true
            implicitHeight: rowColumn.implicitHeight + 24
            radius: 6
            color: Theme.surfaceAlt
            border.color: Theme.border
            objectName: "security.factor." + index

            ColumnLayout {
                id: rowColumn
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.top: parent.top
                anchors.margins: 12
                spacing: 6

                RowLayout {
                    Layout.fillWidth: true
                    spacing: 8
                    Label {
                        objectName: "security.title." + row.index
                        text: row.modelData.label.length > 0 && row.modelData.label !== row.modelData.title
                              ? row.modelData.title + " · " + row.modelData.label
                              : row.modelData.title
                        color: Theme.text
                        font.pixelSize: Theme.bodySize + 1
                        font.weight: Font.DemiBold
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                        Accessible.role: Accessible.Heading
                        Accessible.name: text
                    }
                    Rectangle {
                        implicitWidth: category.implicitWidth + 14
                        implicitHeight: category.implicitHeight + 6
                        radius: 4
                        color: Theme.noticeBackground
                        Label {
                            id: category
                            anchors.centerIn: parent
                            text: row.modelData.category
                            color: Theme.text
                            font.pixelSize: Theme.smallSize
                            Accessible.role: Accessible.StaticText
                            Accessible.name: qsTr("Category of %1").arg(row.modelData.title)
                            Accessible.description: text
                        }
                    }
                }
                Label {
                    objectName: "security.detail." + row.index
                    Layout.fillWidth: true
                    wrapMode: Text.WordWrap
                    text: {
                        const parts = []
                        if (row.modelData.added.length > 0)
                            parts.push(qsTr("Added %1").arg(row.modelData.added))
                        if (row.modelData.kind !== "password")
                            parts.push(qsTr("last used %1").arg(row.modelData.lastUsed))
                        if (row.modelData.detail.length > 0)
                            parts.push(row.modelData.detail)
                        return parts.join(" · ")
                    }
                    color: row.modelData.kind === "recovery" && row.modelData.codesLeft <= 3 ? Theme.error : Theme.secondaryText
                    font.pixelSize: Theme.smallSize + 1
                    Accessible.role: Accessible.StaticText
                    Accessible.name: qsTr("Details of %1").arg(row.modelData.title)
                    Accessible.description: text
                }
                RowLayout {
                    visible: row.modelData.removable && !row.renaming && !row.removing
                    spacing: 8
                    Button {
                        objectName: "security.rename." + row.index
                        visible: row.modelData.kind === "totp"
                        text: qsTr("Rename")
                        enabled: !AppController.busy
                        onClicked: { row.renaming = true; renameField.text = row.modelData.label; renameField.forceActiveFocus(); renameField.selectAll() }
                        Accessible.name: qsTr("Rename %1").arg(row.modelData.title)
                        Accessible.onPressAction: if (enabled) clicked()
                    }
                    Button {
                        objectName: "security.regenerate." + row.index
                        visible: row.modelData.kind === "recovery"
                        text: qsTr("New codes")
                        enabled: !AppController.busy
                        onClicked: page.model.regenerateCodes()
                        Accessible.name: qsTr("Make a new set of recovery codes")
                        Accessible.onPressAction: if (enabled) clicked()
                    }
                    Button {
                        objectName: "security.remove." + row.index
                        text: qsTr("Remove…")
                        enabled: !AppController.busy
                        onClicked: { row.removing = true; removePassword.forceFocus() }
                        Accessible.name: qsTr("Remove %1").arg(row.modelData.title)
                        Accessible.onPressAction: if (enabled) clicked()
                    }
                }
                // Rename
                RowLayout {
                    visible: row.renaming
                    Layout.fillWidth: true
                    spacing: 8
                    TextField {
                        id: renameField
                        objectName: "security.renameField." + row.index
                        Layout.fillWidth: true
                        implicitHeight: Theme.fieldHeight
                        maximumLength: 64
                        selectByMouse: true
                        onAccepted: saveRename.clicked()
                        Keys.onEscapePressed: row.renaming = false
                        Accessible.name: qsTr("New name for %1").arg(row.modelData.title)
                    }
                    Button {
                        id: saveRename
                        objectName: "security.saveRename." + row.index
                        text: qsTr("Save")
                        enabled: renameField.text.trim().length > 0 && !AppController.busy
                        onClicked: { page.model.rename(row.modelData.id, renameField.text); row.renaming = false }
                        Accessible.name: qsTr("Save the new name")
                        Accessible.onPressAction: if (enabled) clicked()
                    }
                    Button {
                        text: qsTr("Cancel")
                        onClicked: row.renaming = false
                        Accessible.name: qsTr("Cancel renaming")
                        Accessible.onPressAction: if (enabled) clicked()
                    }
                }
                // Remove, with the password again
                ColumnLayout {
                    visible: row.removing
                    Layout.fillWidth: true
                    spacing: 8
                    Label {
                        Layout.fillWidth: true
                        wrapMode: Text.WordWrap
                        objectName: "security.removeText." + row.index
                        text: page.model.removalText(row.modelData.id)
                        color: Theme.text
                        font.pixelSize: Theme.bodySize
                    }
                    PasswordField {
                        id: removePassword
                        label: qsTr("Your password")
                        fieldObjectName: "security.removePassword." + row.index
                        toggleObjectName: "security.removeShow." + row.index
                        onAccepted: confirmRemove.clicked()
                    }
                    RowLayout {
                        spacing: 8
                        Button {
                            id: confirmRemove
                            objectName: "security.confirmRemove." + row.index
                            text: qsTr("Remove %1").arg(row.modelData.title.toLowerCase())
                            enabled: removePassword.length > 0 && !AppController.busy
                            palette.buttonText: Theme.error
                            onClicked: { page.model.remove(row.modelData.id, removePassword.input); removePassword.clear() }
                            Accessible.name: text
                            Accessible.onPressAction: if (enabled) clicked()
                        }
                        Button {
                            text: qsTr("Keep it")
                            onClicked: { row.removing = false; removePassword.clear() }
                            Accessible.name: qsTr("Cancel removing")
                            Accessible.onPressAction: if (enabled) clicked()
                        }
                    }
                }
            }
        }
    }
    BusyIndicator {
        Layout.alignment: Qt.AlignHCenter
        visible: page.model.loading && page.model.factors.length === 0
        running: visible
    }

    PrimaryButton {
        id: addFactor
        objectName: "security.add"
        text: qsTr("Add a factor")
        enabled: !AppController.busy
        onClicked: page.model.addFactor()
    }
    Button {
        objectName: "security.changePassword"
        Layout.fillWidth: true
        implicitHeight: 40
        font.pixelSize: Theme.bodySize
        text: qsTr("Change password")
        enabled: !AppController.busy
        onClicked: AppController.showChangePassword()
        Accessible.name: qsTr("Change your password")
        Accessible.onPressAction: if (enabled) clicked()
        Keys.onReturnPressed: if (enabled) clicked()
        Keys.onEnterPressed: if (enabled) clicked()
    }
    Button {
        objectName: "security.recoveryCodes"
        Layout.fillWidth: true
        implicitHeight: 40
        font.pixelSize: Theme.bodySize
        visible: !page.model.hasRecoveryCodes && !page.model.loading
        text: qsTr("Set up recovery codes")
        enabled: !AppController.busy
        onClicked: page.model.regenerateCodes()
        Accessible.name: text
        Accessible.onPressAction: if (enabled) clicked()
    }

    Connections {
        target: page.model
        function onRemoveFailed() { }
    }
}
