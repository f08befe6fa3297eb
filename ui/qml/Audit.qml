import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

// The audit log: filters (user, layer, outcome), a lazily paged list with layer badges and
// outcome colours, the diagnosis of the selected event, and the chain status with "Verify now".
FocusScope {
    id: page
    objectName: "auditScreen"

    readonly property AuditModel model: AppController.audit
    readonly property bool checking: model.chainState === "checking"

    function focusFirst() { list.forceActiveFocus() }
    function applyFilters() {
        page.model.applyFilter(userField.text, layerBox.currentIndex, outcomeBox.currentValue)
    }

    Rectangle { anchors.fill: parent; color: Theme.background }

    ColumnLayout {
        id: content
        anchors.fill: parent
        anchors.margins: 16
        spacing: 10

        // Title, back, chain status.
        RowLayout {
            Layout.fillWidth: true
            spacing: 10
            Text { // not a Label, which resets Accessible.role (see SectionHeader.qml)
                text: qsTr("Audit log")
                color: Theme.text
                font.pixelSize: Theme.titleSize
                font.weight: Font.DemiBold
                Accessible.role: Accessible.Heading
                Accessible.name: text
            }
            Label {
                Layout.fillWidth: true
                text: page.model.readsAll ? qsTr("all accounts") : qsTr("your own history (%1)").arg(page.model.username)
                color: Theme.secondaryText
                font.pixelSize: Theme.bodySize
                elide: Text.ElideRight
                Accessible.ignored: true
            }
            BusyIndicator {
                objectName: "audit.verifyBusy"
                visible: page.checking
                running: page.checking
                Layout.preferredWidth: 22
                Layout.preferredHeight: 22
                Accessible.name: qsTr("Verifying the audit chain")
            }
            Button {
                id: verifyButton
                objectName: "audit.verify"
                text: page.checking ? qsTr("Verifying…") : qsTr("Verify now")
                enabled: page.model.readsAll && !page.checking
                visible: page.model.readsAll
                font.pixelSize: Theme.bodySize
                onClicked: page.model.verifyNow()
                Accessible.name: qsTr("Verify the audit chain now")
                Accessible.onPressAction: if (enabled) clicked()
                Keys.onReturnPressed: clicked()
                Keys.onEnterPressed: clicked()
            }
        }

        Rectangle {
            Layout.fillWidth: true
            implicitHeight: chainLabel.implicitHeight + 14
            radius: 6
            color: page.model.chainState === "broken" || page.model.chainState === "error" ? Theme.errorBackground
                   : page.model.chainState === "intact" ? (Theme.dark ? "#17301f" : "#e7f5ec") : Theme.surfaceAlt
            border.color: page.model.chainState === "broken" || page.model.chainState === "error" ? Theme.error
                          : page.model.chainState === "intact" ? Theme.success : Theme.border
            // A broken chain (or a failed check) is an L1 (storage) failure: it carries its layer.
            LayerBadge {
                objectName: "audit.chainLayer"
                visible: page.model.chainState === "broken" || page.model.chainState === "error"
                level: 1
                anchors.left: parent.left
                anchors.verticalCenter: parent.verticalCenter
                anchors.leftMargin: 10
            }
            Label {
                id: chainLabel
                objectName: "audit.chain"
                anchors.fill: parent
                anchors.margins: 7
                anchors.leftMargin: page.model.chainState === "broken" || page.model.chainState === "error" ? 46 : 12
                verticalAlignment: Text.AlignVCenter
                text: page.model.chainText
                wrapMode: Text.WordWrap
                color: page.model.chainState === "broken" || page.model.chainState === "error" ? Theme.error
                       : page.model.chainState === "intact" ? Theme.success : Theme.text
                font.pixelSize: Theme.bodySize
                Accessible.role: page.model.chainState === "broken" ? Accessible.AlertMessage : Accessible.StaticText
                Accessible.name: page.model.chainState === "broken" || page.model.chainState === "error"
                                 ? qsTr("Audit chain status, L1 storage") : qsTr("Audit chain status")
                Accessible.description: text
            }
        }

        // Filters: they wrap onto a second line in a narrow window.
        Flow {
            Layout.fillWidth: true
            spacing: 8
            TextField {
                id: userField
                objectName: "audit.user"
                visible: page.model.readsAll
                width: 200
                placeholderText: qsTr("User (all)")
                font.pixelSize: Theme.bodySize
                text: page.model.filterUser
                onAccepted: page.applyFilters()
                Accessible.name: qsTr("Filter by user")
                KeyNavigation.tab: layerBox
            }
            ComboBox {
                id: layerBox
                objectName: "audit.layer"
                width: 230
                font.pixelSize: Theme.bodySize
                // Plain names, the layer's number as a badge (LayerBadge) in the list.
                model: [qsTr("Any layer"), qsTr("Storage"), qsTr("Sign-in checks"), qsTr("Sessions"),
                        qsTr("Permissions")]
                delegate: ItemDelegate {
                    required property string modelData
                    required property int index
                    width: ListView.view ? ListView.view.width : implicitWidth
                    text: modelData
                    font.pixelSize: Theme.bodySize
                    highlighted: layerBox.highlightedIndex === index
                    contentItem: RowLayout {
                        spacing: 8
                        LayerBadge { level: index; visible: index > 0 }
                        Label {
                            Layout.fillWidth: true
                            text: modelData
                            font.pixelSize: Theme.bodySize
                            color: Theme.text
                            elide: Text.ElideRight
                        }
                    }
                }
                currentIndex: page.model.filterLayer
                onActivated: page.applyFilters()
                Accessible.name: qsTr("Filter by layer")
                KeyNavigation.tab: outcomeBox
            }
            ComboBox {
                id: outcomeBox
                objectName: "audit.outcome"
                width: 150
                font.pixelSize: Theme.bodySize
                // The words people read; the values are the log's own (AuditFilter.outcome).
                textRole: "text"
                valueRole: "value"
                model: [{ text: qsTr("Any outcome"), value: "" }, { text: qsTr("allowed"), value: "allowed" },
                        { text: qsTr("denied"), value: "denied" }, { text: qsTr("failed"), value: "failed" },
                        { text: qsTr("info"), value: "info" }]
                currentIndex: Math.max(0, indexOfValue(page.model.filterOutcome))
                onActivated: page.applyFilters()
                Accessible.name: qsTr("Filter by outcome")
                KeyNavigation.tab: list
            }
            Button {
                objectName: "audit.apply"
                visible: page.model.readsAll
                text: qsTr("Apply")
                font.pixelSize: Theme.bodySize
                onClicked: page.applyFilters()
                Accessible.name: qsTr("Apply the user filter")
                Accessible.onPressAction: if (enabled) clicked()
            }
            BusyIndicator {
                objectName: "audit.loading"
                visible: page.model.events.loading
                running: visible
                width: 20
                height: 20
                Accessible.name: qsTr("Loading events")
            }
            Label {
                objectName: "audit.count"
                text: page.model.events.more ? qsTr("%Ln shown, more as you scroll", "", page.model.events.count)
                                             : qsTr("%Ln event(s)", "", page.model.events.count)
                height: layerBox.height
                verticalAlignment: Text.AlignVCenter
                color: Theme.secondaryText
                font.pixelSize: Theme.smallSize + 1
            }
        }

        MessageBox {
            objectName: "audit.error"
            text: page.model.error
        }

        // The list and the detail panel.
        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.minimumHeight: 260
            Layout.preferredHeight: 260
            spacing: 12

            Rectangle {
                Layout.fillWidth: true
                Layout.fillHeight: true
                radius: Theme.radius
                color: Theme.surface
                border.color: list.activeFocus ? Theme.accent : Theme.border

                ListView {
                    id: list
                    objectName: "audit.list"
                    anchors.fill: parent
                    anchors.margins: 1
                    clip: true
                    model: page.model.events
                    currentIndex: -1
                    boundsBehavior: Flickable.StopAtBounds
                    reuseItems: true
                    cacheBuffer: 400
                    keyNavigationEnabled: true
                    activeFocusOnTab: true
                    // Each day under a heading, so a row shows only the time and the actor keeps
                    // its room (with the full date in every row, the actor was cut to "…").
                    section.property: "day"
                    section.delegate: Rectangle {
                        required property string section
                        width: ListView.view.width
                        height: 26
                        color: Theme.background
                        Label {
                            objectName: "audit.day"
                            anchors.left: parent.left
                            anchors.leftMargin: 12
                            anchors.verticalCenter: parent.verticalCenter
                            text: parent.section
                            color: Theme.secondaryText
                            font.pixelSize: Theme.smallSize
                            font.weight: Font.DemiBold
                            Accessible.role: Accessible.Heading
                            Accessible.name: text
                        }
                    }
                    ScrollBar.vertical: ScrollBar { Accessible.name: qsTr("Scroll the events") }
                    // The view asks for the next page (fetchMore) only when it creates its last
                    // row: a row reused from the pool, or an end reached while a page was still on
                    // its way, asked nothing and the list stopped there. The end asks as well, and
                    // a list that does not fill the view yet keeps asking until it does.
                    onAtYEndChanged: if (atYEnd && count > 0) page.model.events.loadMore()
                    onCountChanged: if (atYEnd && count > 0) Qt.callLater(list.moreAtEnd)
                    function moreAtEnd() {
                        if (list.atYEnd)
                            page.model.events.loadMore()
                    }
                    onCurrentIndexChanged: if (currentIndex !== page.model.selectedRow) page.model.select(currentIndex)
                    Connections {
                        target: page.model
                        function onSelectionChanged() {
                            if (list.currentIndex !== page.model.selectedRow)
                                list.currentIndex = page.model.selectedRow
                        }
                    }
                    Accessible.role: Accessible.List
                    Accessible.name: qsTr("Audit events, newest first")

                    Label {
                        anchors.centerIn: parent
                        visible: list.count === 0 && !page.model.events.loading
                        text: qsTr("No events match these filters.")
                        color: Theme.secondaryText
                        font.pixelSize: Theme.bodySize
                    }

                    delegate: Rectangle {
                        id: row
                        required property int index
                        required property var eventId
                        required property string time
                        required property string actor
                        required property string action
                        required property int layerNumber
                        required property string outcome
                        required property string outcomeText
                        required property string subject

                        function outcomeColour(outcome) {
                            switch (outcome) {
                            case "allowed": return Theme.success
                            case "denied": return Theme.error
                            case "failed": return Theme.dark ? "#f0b35a" : "#8a4b00"
                            default: return Theme.secondaryText
                            }
                        }

                        width: ListView.view.width
                        height: 34
                        objectName: "audit.row." + index
                        color: ListView.isCurrentItem ? Theme.noticeBackground : (index % 2 ? Theme.surfaceAlt : Theme.surface)

                        Rectangle {
                            width: 4
                            anchors.left: parent.left
                            anchors.top: parent.top
                            anchors.bottom: parent.bottom
                            color: row.outcomeColour(row.outcome)
                        }
                        RowLayout {
                            anchors.fill: parent
                            anchors.leftMargin: 12
                            anchors.rightMargin: 10
                            spacing: 10
                            LayerBadge { level: row.layerNumber }
                            Label {
                                text: row.outcomeText
                                color: row.outcomeColour(row.outcome)
                                font.pixelSize: Theme.smallSize + 1
                                font.weight: Font.DemiBold
                                Layout.preferredWidth: 58
                            }
                            Label {
                                text: row.time
                                color: Theme.secondaryText
                                font.pixelSize: Theme.smallSize + 1
                                font.family: "monospace"
                                Layout.preferredWidth: implicitWidth
                            }
                            Label {
                                text: row.action
                                color: Theme.text
                                font.pixelSize: Theme.bodySize
                                elide: Text.ElideRight
                                // The action and who share what the row has left, half each.
                                Layout.fillWidth: true
                                Layout.preferredWidth: 1
                            }
                            Label {
                                objectName: "audit.row." + row.index + ".actor"
                                text: row.actor + (row.subject.length > 0 && row.subject !== row.actor ? " → " + row.subject : "")
                                color: Theme.secondaryText
                                font.pixelSize: Theme.bodySize
                                elide: Text.ElideRight
                                Layout.fillWidth: true
                                Layout.preferredWidth: 1
                            }
                        }
                        MouseArea {
                            anchors.fill: parent
                            onClicked: {
                                row.ListView.view.forceActiveFocus()
                                row.ListView.view.currentIndex = row.index // selects it (onCurrentIndexChanged)
                            }
                        }
                        Accessible.role: Accessible.ListItem
                        Accessible.name: qsTr("Event %1, layer L%2, %3: %4 by %5").arg(row.eventId).arg(row.layerNumber)
                                         .arg(row.outcomeText).arg(row.action).arg(row.actor)
                        Accessible.selected: ListView.isCurrentItem
                        // A screen reader picks an event with the row's Press action, as a click would.
                        Accessible.onPressAction: {
                            row.ListView.view.forceActiveFocus()
                            row.ListView.view.currentIndex = row.index
                        }
                    }
                }
            }

            // Detail: the event and its diagnosis.
            Rectangle {
                Layout.preferredWidth: Math.min(360, page.width * 0.4)
                Layout.fillHeight: true
                radius: Theme.radius
                color: Theme.surface
                border.color: Theme.border

                Flickable {
                    anchors.fill: parent
                    anchors.margins: 16
                    contentHeight: detail.implicitHeight
                    clip: true
                    boundsBehavior: Flickable.StopAtBounds

                    ColumnLayout {
                        id: detail
                        objectName: "audit.detail"
                        width: parent.width
                        spacing: 8
                        readonly property var ev: page.model.selected
                        readonly property bool has: ev.id !== undefined

                        Label {
                            visible: !detail.has
                            Layout.fillWidth: true
                            text: qsTr("Select an event to see which layer failed, what it means and what fixes it.")
                            wrapMode: Text.WordWrap
                            color: Theme.secondaryText
                            font.pixelSize: Theme.bodySize
                        }
                        RowLayout {
                            visible: detail.has
                            spacing: 8
                            LayerBadge { level: detail.has ? detail.ev.diagnosisLayer : 0 }
                            Text { // not a Label: a heading (see SectionHeader.qml)
                                objectName: "audit.diagnosis.title"
                                Layout.fillWidth: true
                                text: detail.has ? detail.ev.title : ""
                                wrapMode: Text.WordWrap
                                color: detail.has && detail.ev.problem ? Theme.error : Theme.text
                                font.pixelSize: Theme.bodySize + 3
                                font.weight: Font.DemiBold
                                Accessible.role: Accessible.Heading
                                Accessible.name: qsTr("Diagnosis")
                                Accessible.description: text
                            }
                        }
                        Label {
                            objectName: "audit.diagnosis.layer"
                            visible: detail.has
                            Layout.fillWidth: true
                            text: detail.has ? (detail.ev.problem ? qsTr("Layer that failed: %1").arg(detail.ev.diagnosisLayerName)
                                                                  : qsTr("Layer: %1 · nothing failed").arg(detail.ev.diagnosisLayerName))
                                             : ""
                            wrapMode: Text.WordWrap
                            color: Theme.secondaryText
                            font.pixelSize: Theme.bodySize
                            Accessible.role: Accessible.StaticText
                            Accessible.name: qsTr("Layer")
                            Accessible.description: text
                        }
                        Label {
                            objectName: "audit.diagnosis.explanation"
                            visible: detail.has
                            Layout.fillWidth: true
                            text: detail.has ? detail.ev.explanation : ""
                            wrapMode: Text.WordWrap
                            color: Theme.text
                            font.pixelSize: Theme.bodySize
                            lineHeight: 1.15
                            Accessible.role: Accessible.StaticText
                            Accessible.name: qsTr("What happened")
                            Accessible.description: text
                        }
                        SectionHeader { visible: detail.has && detail.ev.fix.length > 0; text: qsTr("Fix") }
                        Label {
                            objectName: "audit.diagnosis.fix"
                            visible: detail.has && detail.ev.fix.length > 0
                            Layout.fillWidth: true
                            text: detail.has ? detail.ev.fix : ""
                            wrapMode: Text.WordWrap
                            color: Theme.text
                            font.pixelSize: Theme.bodySize
                            lineHeight: 1.15
                            Accessible.role: Accessible.StaticText
                            Accessible.name: qsTr("Fix")
                            Accessible.description: text
                        }
                        SectionHeader { visible: detail.has; text: qsTr("Event") }
                        InfoRow { visible: detail.has; label: qsTr("ID"); value: detail.has ? detail.ev.id : "" }
                        InfoRow { visible: detail.has; label: qsTr("When"); value: detail.has ? detail.ev.time : "" }
                        InfoRow { visible: detail.has; label: qsTr("Action"); value: detail.has ? detail.ev.action : "" }
                        InfoRow { visible: detail.has; label: qsTr("Outcome"); value: detail.has ? detail.ev.outcomeText : "" }
                        InfoRow { visible: detail.has; label: qsTr("Actor"); value: detail.has ? detail.ev.actor : ""; valueObjectName: "audit.detail.actor" }
                        InfoRow { visible: detail.has && detail.ev.subject.length > 0; label: qsTr("Subject"); value: detail.has ? detail.ev.subject : ""; valueObjectName: "audit.detail.subject" }
                        // A name nobody has (a mistyped or guessed sign-in) is kept only as a keyed
                        // hash (RL-04); it is shown here, on demand, to match attempts with each other.
                        InfoRow {
                            visible: detail.has && detail.ev.maskedName.length > 0
                            label: qsTr("Name's hash")
                            value: detail.has ? detail.ev.maskedName : ""
                            valueObjectName: "audit.detail.maskedName"
                            monospace: true
                        }
                        InfoRow { visible: detail.has && detail.ev.detail.length > 0; label: qsTr("Detail"); value: detail.has ? detail.ev.detail : "" }
                        // The program, account and process the event was recorded for, as the
                        // system vouched for it (not text the program chose); none for older events.
                        InfoRow {
                            visible: detail.has && detail.ev.origin.length > 0
                            label: qsTr("Source")
                            value: detail.has ? detail.ev.origin : ""
                            valueObjectName: "audit.detail.origin"
                        }
                    }
                }
            }
        }
    }
}
