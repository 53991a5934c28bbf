<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="de">
<context>
    <name>Actions</name>
    <message>
        <source>&amp;New campaign</source>
        <translation>&amp;Neue Kampagne</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>Ö&amp;ffnen …</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Save &amp;as…</source>
        <translation>Speichern &amp;unter …</translation>
    </message>
    <message>
        <source>Export as &amp;PNG…</source>
        <translation>Als &amp;PNG exportieren …</translation>
    </message>
    <message>
        <source>Export as S&amp;VG…</source>
        <translation>Als S&amp;VG exportieren …</translation>
    </message>
    <message>
        <source>Export as &amp;graph (GraphML, GEXF, DOT)…</source>
        <translation>Als &amp;Graph exportieren (GraphML, GEXF, DOT) …</translation>
    </message>
    <message>
        <source>The diagram for graph tools: Gephi, yEd, Graphviz</source>
        <translation>Das Diagramm für Graph-Werkzeuge: Gephi, yEd, Graphviz</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederherstellen</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>&amp;Ausschneiden</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Einfügen</translation>
    </message>
    <message>
        <source>&amp;Duplicate</source>
        <translation>&amp;Duplizieren</translation>
    </message>
    <message>
        <source>De&amp;lete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>Select &amp;all</source>
        <translation>&amp;Alles auswählen</translation>
    </message>
    <message>
        <source>Add &amp;next node…</source>
        <translation>&amp;Nächsten Knoten hinzufügen …</translation>
    </message>
    <message>
        <source>Add a node after the selected one</source>
        <translation>Einen Knoten nach dem ausgewählten hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Rename node</source>
        <translation>Knoten &amp;umbenennen</translation>
    </message>
    <message>
        <source>Type a new name for the selected node</source>
        <translation>Einen neuen Namen für den ausgewählten Knoten eingeben</translation>
    </message>
    <message>
        <source>&amp;Edit node</source>
        <translation>Knoten &amp;bearbeiten</translation>
    </message>
    <message>
        <source>Move the keyboard to the node's settings</source>
        <translation>Die Tastatur zu den Einstellungen des Knotens bringen</translation>
    </message>
    <message>
        <source>Add sticky &amp;note</source>
        <translation>&amp;Notiz hinzufügen</translation>
    </message>
    <message>
        <source>A note on the canvas for whoever reads the campaign next</source>
        <translation>Eine Notiz auf der Arbeitsfläche für alle, die die Kampagne als Nächstes lesen</translation>
    </message>
    <message>
        <source>&amp;Frame selection</source>
        <translation>Auswahl &amp;einrahmen</translation>
    </message>
    <message>
        <source>A labelled frame around the selected nodes; it moves the nodes on it</source>
        <translation>Ein beschrifteter Rahmen um die ausgewählten Knoten; er bewegt die Knoten darauf mit</translation>
    </message>
    <message>
        <source>Zoom to &amp;fit</source>
        <translation>&amp;Einpassen</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>&amp;Vergrößern</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>Ver&amp;kleinern</translation>
    </message>
    <message>
        <source>&amp;Dark theme</source>
        <translation>&amp;Dunkles Design</translation>
    </message>
    <message>
        <source>Auto-&amp;layout</source>
        <translation>Automatisch &amp;anordnen</translation>
    </message>
    <message>
        <source>Align &amp;left</source>
        <translation>&amp;Links ausrichten</translation>
    </message>
    <message>
        <source>Align &amp;centres</source>
        <translation>&amp;Mittig ausrichten</translation>
    </message>
    <message>
        <source>Align &amp;right</source>
        <translation>&amp;Rechts ausrichten</translation>
    </message>
    <message>
        <source>Align &amp;top</source>
        <translation>&amp;Oben ausrichten</translation>
    </message>
    <message>
        <source>Align &amp;middles</source>
        <translation>Auf halber &amp;Höhe ausrichten</translation>
    </message>
    <message>
        <source>Align &amp;bottom</source>
        <translation>&amp;Unten ausrichten</translation>
    </message>
    <message>
        <source>Distribute &amp;horizontally</source>
        <translation>&amp;Waagerecht verteilen</translation>
    </message>
    <message>
        <source>Distribute &amp;vertically</source>
        <translation>&amp;Senkrecht verteilen</translation>
    </message>
    <message>
        <source>&amp;New campaign…</source>
        <translation>&amp;Neue Kampagne …</translation>
    </message>
    <message>
        <source>Create a campaign, blank or from a sample</source>
        <translation>Eine Kampagne anlegen, leer oder aus einem Beispiel</translation>
    </message>
    <message>
        <source>&amp;Import campaign file…</source>
        <translation>Kampagnendatei &amp;importieren …</translation>
    </message>
    <message>
        <source>Add a .campaign.json file to the workspace</source>
        <translation>Eine .campaign.json-Datei zum Arbeitsbereich hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Export campaign…</source>
        <translation>Kampagne &amp;exportieren …</translation>
    </message>
    <message>
        <source>The open or selected campaign as a campaign file, GraphML, GEXF or DOT</source>
        <translation>Die geöffnete oder ausgewählte Kampagne als Kampagnendatei, GraphML, GEXF oder DOT</translation>
    </message>
    <message>
        <source>Build &amp;demo workspace…</source>
        <translation>&amp;Demo-Arbeitsbereich erstellen …</translation>
    </message>
    <message>
        <source>Fill this database with demo contacts, segments, templates and campaigns</source>
        <translation>Diese Datenbank mit Demo-Kontakten, -Segmenten, -Vorlagen und -Kampagnen füllen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Store the open campaign as a new version</source>
        <translation>Die geöffnete Kampagne als neue Version speichern</translation>
    </message>
    <message>
        <source>Si&amp;mulate…</source>
        <translation>Si&amp;mulieren …</translation>
    </message>
    <message>
        <source>Forecast the open campaign on a copy of the data</source>
        <translation>Die geöffnete Kampagne auf einer Kopie der Daten vorhersagen</translation>
    </message>
    <message>
        <source>&amp;Dashboard</source>
        <translation>&amp;Übersicht</translation>
    </message>
    <message>
        <source>Figures and charts of the open or selected campaign</source>
        <translation>Zahlen und Diagramme der geöffneten oder ausgewählten Kampagne</translation>
    </message>
    <message>
        <source>Run engine &amp;now</source>
        <translation>Engine &amp;jetzt ausführen</translation>
    </message>
    <message>
        <source>Process everything that is due now</source>
        <translation>Alles verarbeiten, was jetzt fällig ist</translation>
    </message>
    <message>
        <source>&amp;About Campaign Studio</source>
        <translation>&amp;Über Campaign Studio</translation>
    </message>
</context>
<context>
    <name>Canvas</name>
    <message>
        <source>{title}, {type}</source>
        <translation>{title}, {type}</translation>
    </message>
    <message>
        <source>Connection from {source} to {target}</source>
        <translation>Verbindung von {source} zu {target}</translation>
    </message>
    <message>
        <source>Connection from {source} ({port}) to {target}</source>
        <translation>Verbindung von {source} ({port}) zu {target}</translation>
    </message>
    <message>
        <source>{count} contacts went this way</source>
        <translation>{count} Kontakte gingen diesen Weg</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <source>Campaign diagram</source>
        <translation>Kampagnendiagramm</translation>
    </message>
    <message>
        <source>{nodes} nodes and {edges} connections. Arrow keys follow connections; Page Down and Page Up visit every node; Return opens the node.</source>
        <translation>{nodes} Knoten und {edges} Verbindungen. Die Pfeiltasten folgen den Verbindungen; Bild ab und Bild auf besuchen jeden Knoten; die Eingabetaste öffnet den Knoten.</translation>
    </message>
</context>
<context>
    <name>FieldRow</name>
    <message>
        <source>, required</source>
        <translation>, Pflichtfeld</translation>
    </message>
</context>
<context>
    <name>Fields</name>
    <message>
        <source>Campaign</source>
        <translation>Kampagne</translation>
    </message>
    <message>
        <source>Campaign name</source>
        <translation>Name der Kampagne</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Verantwortlich</translation>
    </message>
    <message>
        <source>Who is told about this campaign.</source>
        <translation>Wer über diese Kampagne informiert wird.</translation>
    </message>
    <message>
        <source>UTM campaign</source>
        <translation>UTM-Kampagne</translation>
    </message>
    <message>
        <source>Added to links as utm_campaign.</source>
        <translation>Wird Links als utm_campaign angehängt.</translation>
    </message>
    <message>
        <source>Parent campaign</source>
        <translation>Übergeordnete Kampagne</translation>
    </message>
    <message>
        <source>A parent campaign's name.</source>
        <translation>Der Name einer übergeordneten Kampagne.</translation>
    </message>
    <message>
        <source>Entry</source>
        <translation>Eintritt</translation>
    </message>
    <message>
        <source>Contacts enter</source>
        <translation>Kontakte treten ein</translation>
    </message>
    <message>
        <source>Starts</source>
        <translation>Beginnt</translation>
    </message>
    <message>
        <source>Empty: when started.</source>
        <translation>Leer: beim Start.</translation>
    </message>
    <message>
        <source>Ends</source>
        <translation>Endet</translation>
    </message>
    <message>
        <source>Empty: runs until stopped.</source>
        <translation>Leer: läuft, bis sie beendet wird.</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>Zustellung</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Zeitzone</translation>
    </message>
    <message>
        <source>For contacts without their own time zone.</source>
        <translation>Für Kontakte ohne eigene Zeitzone.</translation>
    </message>
    <message>
        <source>Quiet hours</source>
        <translation>Ruhezeiten</translation>
    </message>
    <message>
        <source>Frequency cap</source>
        <translation>Häufigkeitsgrenze</translation>
    </message>
    <message>
        <source>Tracking</source>
        <translation>Messung</translation>
    </message>
    <message>
        <source>Track opens</source>
        <translation>Öffnungen messen</translation>
    </message>
    <message>
        <source>An invisible picture in each email.</source>
        <translation>Ein unsichtbares Bild in jeder E-Mail.</translation>
    </message>
    <message>
        <source>Track clicks</source>
        <translation>Klicks messen</translation>
    </message>
    <message>
        <source>Links go through the public address.</source>
        <translation>Links laufen über die öffentliche Adresse.</translation>
    </message>
</context>
<context>
    <name>Inspector</name>
    <message>
        <source>The name shown on the canvas</source>
        <translation>Der Name auf der Arbeitsfläche</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Pages</source>
        <translation>Seiten</translation>
    </message>
    <message>
        <source>Open a campaign to edit its canvas</source>
        <translation>Eine Kampagne öffnen, um ihre Arbeitsfläche zu bearbeiten</translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Arrange</source>
        <translation>An&amp;ordnen</translation>
    </message>
    <message>
        <source>&amp;Campaign</source>
        <translation>&amp;Kampagne</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
</context>
<context>
    <name>Screens</name>
    <message>
        <source>Campaigns</source>
        <translation>Kampagnen</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>Kontakte</translation>
    </message>
    <message>
        <source>Segments</source>
        <translation>Segmente</translation>
    </message>
    <message>
        <source>Templates</source>
        <translation>Vorlagen</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
</context>
<context>
    <name>branches_field</name>
    <message>
        <source>Branch</source>
        <translation>Zweig</translation>
    </message>
    <message>
        <source>Percent</source>
        <translation>Prozent</translation>
    </message>
    <message>
        <source>Branches</source>
        <translation>Zweige</translation>
    </message>
    <message>
        <source>+ Branch</source>
        <translation>+ Zweig</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Total ?</source>
        <translation>Summe ?</translation>
    </message>
</context>
<context>
    <name>bridge</name>
    <message>
        <source>Engine running — last error: {error}</source>
        <translation>Engine läuft – letzter Fehler: {error}</translation>
    </message>
    <message>
        <source>Engine running</source>
        <translation>Engine läuft</translation>
    </message>
    <message>
        <source>Engine ready (manual passes)</source>
        <translation>Engine bereit (manuelle Durchläufe)</translation>
    </message>
    <message>
        <source>Engine unavailable: {error}</source>
        <translation>Engine nicht verfügbar: {error}</translation>
    </message>
    <message>
        <source>Engine stopped</source>
        <translation>Engine angehalten</translation>
    </message>
</context>
<context>
    <name>campaign_dialogs</name>
    <message>
        <source>New campaign</source>
        <translation>Neue Kampagne</translation>
    </message>
    <message>
        <source>Start from</source>
        <translation>Beginnen mit</translation>
    </message>
    <message>
        <source>An empty campaign or one of the samples</source>
        <translation>Eine leere Kampagne oder eines der Beispiele</translation>
    </message>
    <message>
        <source>Campaign name</source>
        <translation>Name der Kampagne</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Anlegen</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Give the campaign a name.</source>
        <translation>Geben Sie der Kampagne einen Namen.</translation>
    </message>
    <message>
        <source>Schedule campaign</source>
        <translation>Kampagne planen</translation>
    </message>
    <message>
        <source>End at</source>
        <translation>Endet am</translation>
    </message>
    <message>
        <source>Start at</source>
        <translation>Beginnt am</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Planen</translation>
    </message>
    <message>
        <source>Times are in your local time zone.</source>
        <translation>Zeiten sind in Ihrer Ortszeit.</translation>
    </message>
    <message>
        <source>The end must come after the start.</source>
        <translation>Das Ende muss nach dem Beginn liegen.</translation>
    </message>
</context>
<context>
    <name>campaign_page</name>
    <message>
        <source>‹ Campaigns</source>
        <translation>‹ Kampagnen</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Store the diagram as a new version (Ctrl+S)</source>
        <translation>Das Diagramm als neue Version speichern (Strg+S)</translation>
    </message>
    <message>
        <source>Show statistics</source>
        <translation>Statistik anzeigen</translation>
    </message>
    <message>
        <source>Simulate…</source>
        <translation>Simulieren …</translation>
    </message>
    <message>
        <source>Forecast this campaign on a copy of your data</source>
        <translation>Diese Kampagne auf einer Kopie Ihrer Daten vorhersagen</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>History…</source>
        <translation>Verlauf …</translation>
    </message>
    <message>
        <source>Earlier versions, compared on the canvas; restore one</source>
        <translation>Frühere Versionen, auf der Arbeitsfläche verglichen; eine wiederherstellen</translation>
    </message>
    <message>
        <source>Clear forecast</source>
        <translation>Vorhersage ausblenden</translation>
    </message>
    <message>
        <source>Version {number}</source>
        <translation>Version {number}</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <source>Stop campaign</source>
        <translation>Kampagne beenden</translation>
    </message>
</context>
<context>
    <name>campaigns</name>
    <message>
        <source>Draft</source>
        <translation>Entwurf</translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation>Geplant</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Pausiert</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Beendet</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Abgeschlossen</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>Start the campaign now: contacts begin to enter</source>
        <translation>Die Kampagne jetzt starten: Kontakte beginnen einzutreten</translation>
    </message>
    <message>
        <source>Schedule…</source>
        <translation>Planen …</translation>
    </message>
    <message>
        <source>Start (and optionally end) the campaign at a date and time</source>
        <translation>Die Kampagne zu einem Zeitpunkt starten (und optional beenden)</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausieren</translation>
    </message>
    <message>
        <source>Hold every contact where it is; nothing is sent while paused</source>
        <translation>Jeden Kontakt an seiner Stelle halten; während der Pause wird nichts gesendet</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Carry on from where the campaign was paused</source>
        <translation>Dort weitermachen, wo die Kampagne pausiert wurde</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>End the campaign for good: contacts inside leave</source>
        <translation>Die Kampagne endgültig beenden: Kontakte darin verlassen sie</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Trigger</source>
        <translation>Auslöser</translation>
    </message>
    <message>
        <source>Enrolled</source>
        <translation>Aufgenommen</translation>
    </message>
    <message>
        <source>Converted</source>
        <translation>Konvertiert</translation>
    </message>
    <message>
        <source>Conversion</source>
        <translation>Konversion</translation>
    </message>
    <message>
        <source>Last change</source>
        <translation>Letzte Änderung</translation>
    </message>
    <message>
        <source>“{name}” was paused after a fault: {reason}. Resume it once fixed.</source>
        <translation>„{name}“ wurde nach einem Fehler pausiert: {reason}. Setzen Sie sie fort, sobald er behoben ist.</translation>
    </message>
    <message>
        <source>Campaigns</source>
        <translation>Kampagnen</translation>
    </message>
    <message>
        <source>Search campaigns</source>
        <translation>Kampagnen suchen</translation>
    </message>
    <message>
        <source>Search campaigns…</source>
        <translation>Kampagnen suchen …</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Alle Status</translation>
    </message>
    <message>
        <source>New campaign</source>
        <translation>Neue Kampagne</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <source>Open the campaign on the canvas</source>
        <translation>Die Kampagne auf der Arbeitsfläche öffnen</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>Figures, charts and exports for the campaign</source>
        <translation>Zahlen, Diagramme und Exporte der Kampagne</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Duplizieren</translation>
    </message>
    <message>
        <source>Copy the campaign as a new draft</source>
        <translation>Die Kampagne als neuen Entwurf kopieren</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Delete the campaign and its history</source>
        <translation>Die Kampagne und ihren Verlauf löschen</translation>
    </message>
    <message>
        <source>Return opens the selected campaign</source>
        <translation>Die Eingabetaste öffnet die ausgewählte Kampagne</translation>
    </message>
    <message>
        <source>No campaigns yet.
Click “New campaign” to start from a blank canvas or a sample.</source>
        <translation>Noch keine Kampagnen.
Klicken Sie auf „Neue Kampagne“, um mit einer leeren Arbeitsfläche oder einem Beispiel zu beginnen.</translation>
    </message>
    <message>
        <source>Live now</source>
        <translation>Jetzt aktiv</translation>
    </message>
    <message>
        <source>campaigns running</source>
        <translation>laufende Kampagnen</translation>
    </message>
    <message>
        <source>Contacts enrolled</source>
        <translation>Aufgenommene Kontakte</translation>
    </message>
    <message>
        <source>across all campaigns</source>
        <translation>über alle Kampagnen</translation>
    </message>
    <message>
        <source>Inside now</source>
        <translation>Gerade darin</translation>
    </message>
    <message>
        <source>waiting or moving</source>
        <translation>wartend oder unterwegs</translation>
    </message>
    <message>
        <source>Conversions</source>
        <translation>Konversionen</translation>
    </message>
    <message>
        <source>goals reached</source>
        <translation>erreichte Ziele</translation>
    </message>
    <message>
        <source>Conversion rate</source>
        <translation>Konversionsrate</translation>
    </message>
    <message>
        <source>converted / enrolled</source>
        <translation>konvertiert / aufgenommen</translation>
    </message>
    <message numerus="yes">
        <source>%n campaign(s)</source>
        <translation><numerusform>%n Kampagne</numerusform><numerusform>%n Kampagnen</numerusform></translation>
    </message>
    <message>
        <source>{live} live · {scheduled} scheduled · {draft} draft</source>
        <translation>{live} aktiv · {scheduled} geplant · {draft} Entwurf</translation>
    </message>
    <message>
        <source>Stop campaign</source>
        <translation>Kampagne beenden</translation>
    </message>
    <message>
        <source>Delete campaign</source>
        <translation>Kampagne löschen</translation>
    </message>
</context>
<context>
    <name>contact_page</name>
    <message>
        <source>← All contacts</source>
        <translation>← Alle Kontakte</translation>
    </message>
    <message>
        <source>Back to all contacts (Esc)</source>
        <translation>Zurück zu allen Kontakten (Esc)</translation>
    </message>
    <message>
        <source>Delete contact</source>
        <translation>Kontakt löschen</translation>
    </message>
    <message>
        <source>Save changes</source>
        <translation>Änderungen speichern</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Punktzahl</translation>
    </message>
    <message>
        <source>Unsubscribed from all messages</source>
        <translation>Von allen Nachrichten abgemeldet</translation>
    </message>
    <message>
        <source>Add tags, separated by ;</source>
        <translation>Schlagwörter hinzufügen, getrennt durch ;</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Schlagwörter</translation>
    </message>
    <message>
        <source>Segments</source>
        <translation>Segmente</translation>
    </message>
    <message>
        <source>Attributes</source>
        <translation>Merkmale</translation>
    </message>
    <message>
        <source>Attribute</source>
        <translation>Merkmal</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Add attribute</source>
        <translation>Merkmal hinzufügen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Journey</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>What happened to this contact, newest first</source>
        <translation>Was mit diesem Kontakt geschah, neueste zuerst</translation>
    </message>
    <message>
        <source>Campaigns of this contact</source>
        <translation>Kampagnen dieses Kontakts</translation>
    </message>
    <message>
        <source>Campaigns</source>
        <translation>Kampagnen</translation>
    </message>
    <message>
        <source>Messages to this contact</source>
        <translation>Nachrichten an diesen Kontakt</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <source>Events of this contact</source>
        <translation>Ereignisse dieses Kontakts</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Ereignisse</translation>
    </message>
    <message>
        <source>Another contact already uses {email}.</source>
        <translation>Ein anderer Kontakt verwendet bereits {email}.</translation>
    </message>
    <message>
        <source>Could not save this contact: {error}</source>
        <translation>Der Kontakt konnte nicht gespeichert werden: {error}</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>Gespeichert</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <source>Discard your changes to this contact?</source>
        <translation>Ihre Änderungen an diesem Kontakt verwerfen?</translation>
    </message>
    <message>
        <source>Discard changes</source>
        <translation>Änderungen verwerfen</translation>
    </message>
</context>
<context>
    <name>contacts</name>
    <message>
        <source>Contacts</source>
        <translation>Kontakte</translation>
    </message>
    <message>
        <source>Import CSV…</source>
        <translation>CSV importieren …</translation>
    </message>
    <message>
        <source>New contact</source>
        <translation>Neuer Kontakt</translation>
    </message>
    <message>
        <source>Search contacts</source>
        <translation>Kontakte suchen</translation>
    </message>
    <message>
        <source>Search by name, email or phone…</source>
        <translation>Nach Name, E-Mail oder Telefon suchen …</translation>
    </message>
    <message>
        <source>Return opens the selected contact</source>
        <translation>Die Eingabetaste öffnet den ausgewählten Kontakt</translation>
    </message>
    <message numerus="yes">
        <source>%n contact(s) match the filters</source>
        <translation><numerusform>%n Kontakt passt zu den Filtern</numerusform><numerusform>%n Kontakte passen zu den Filtern</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n contact(s) match “{search}”</source>
        <translation><numerusform>%n Kontakt passt zu „{search}“</numerusform><numerusform>%n Kontakte passen zu „{search}“</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n contact(s)</source>
        <translation><numerusform>%n Kontakt</numerusform><numerusform>%n Kontakte</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n people in your audience — double-click one to see their journey</source>
        <translation><numerusform>%n Person in Ihrer Zielgruppe – Doppelklick zeigt ihren Verlauf</numerusform><numerusform>%n Personen in Ihrer Zielgruppe – Doppelklick auf eine zeigt ihren Verlauf</numerusform></translation>
    </message>
    <message>
        <source>e.g. {example}</source>
        <translation>z. B. {example}</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>First name</source>
        <translation>Vorname</translation>
    </message>
    <message>
        <source>Last name</source>
        <translation>Nachname</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>Add contact</source>
        <translation>Kontakt hinzufügen</translation>
    </message>
    <message>
        <source>A contact with {email} already exists.</source>
        <translation>Ein Kontakt mit {email} ist bereits vorhanden.</translation>
    </message>
    <message>
        <source>Add tag</source>
        <translation>Schlagwort hinzufügen</translation>
    </message>
    <message>
        <source>Tagged {count} with “{tag}”.</source>
        <translation>{count} mit „{tag}“ verschlagwortet.</translation>
    </message>
    <message>
        <source>No contact has a tag yet.</source>
        <translation>Noch kein Kontakt hat ein Schlagwort.</translation>
    </message>
    <message>
        <source>Remove tag</source>
        <translation>Schlagwort entfernen</translation>
    </message>
    <message>
        <source>Took “{tag}” off {count}.</source>
        <translation>„{tag}“ von {count} entfernt.</translation>
    </message>
    <message>
        <source>There is no static segment yet: create one on the Segments screen.</source>
        <translation>Es gibt noch kein statisches Segment: Legen Sie eines unter „Segmente“ an.</translation>
    </message>
    <message>
        <source>Add to segment</source>
        <translation>Zu Segment hinzufügen</translation>
    </message>
    <message>
        <source>Added {count} to “{segment}”.</source>
        <translation>{count} zu „{segment}“ hinzugefügt.</translation>
    </message>
    <message>
        <source>Unsubscribe contacts</source>
        <translation>Kontakte abmelden</translation>
    </message>
    <message>
        <source>Unsubscribed {count}.</source>
        <translation>{count} abgemeldet.</translation>
    </message>
    <message>
        <source>Delete contacts</source>
        <translation>Kontakte löschen</translation>
    </message>
    <message>
        <source>Deleted {count}.</source>
        <translation>{count} gelöscht.</translation>
    </message>
    <message>
        <source>Export contacts</source>
        <translation>Kontakte exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>Exported {count} to {path}.</source>
        <translation>{count} nach {path} exportiert.</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>Jeder Status</translation>
    </message>
    <message>
        <source>Subscribed</source>
        <translation>Angemeldet</translation>
    </message>
    <message>
        <source>Unsubscribed</source>
        <translation>Abgemeldet</translation>
    </message>
    <message>
        <source>Bounced</source>
        <translation>Unzustellbar</translation>
    </message>
    <message>
        <source>Filter by segment</source>
        <translation>Nach Segment filtern</translation>
    </message>
    <message>
        <source>Filter by tag</source>
        <translation>Nach Schlagwort filtern</translation>
    </message>
    <message>
        <source>Filter by status</source>
        <translation>Nach Status filtern</translation>
    </message>
    <message>
        <source>Filter by field</source>
        <translation>Nach Feld filtern</translation>
    </message>
    <message>
        <source>Comparison</source>
        <translation>Vergleich</translation>
    </message>
    <message>
        <source>Value to compare with</source>
        <translation>Vergleichswert</translation>
    </message>
    <message>
        <source>e.g. DE</source>
        <translation>z. B. DE</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>Filter zurücksetzen</translation>
    </message>
    <message>
        <source>Any segment</source>
        <translation>Jedes Segment</translation>
    </message>
    <message>
        <source>Any tag</source>
        <translation>Jedes Schlagwort</translation>
    </message>
    <message>
        <source>Any field</source>
        <translation>Jedes Feld</translation>
    </message>
    <message>
        <source>e.g. DE, FR</source>
        <translation>z. B. DE, FR</translation>
    </message>
    <message>
        <source>Add tag…</source>
        <translation>Schlagwort hinzufügen …</translation>
    </message>
    <message>
        <source>Give the selected contacts a tag</source>
        <translation>Den ausgewählten Kontakten ein Schlagwort geben</translation>
    </message>
    <message>
        <source>Remove tag…</source>
        <translation>Schlagwort entfernen …</translation>
    </message>
    <message>
        <source>Take a tag off the selected contacts</source>
        <translation>Ein Schlagwort von den ausgewählten Kontakten entfernen</translation>
    </message>
    <message>
        <source>Add to segment…</source>
        <translation>Zu Segment hinzufügen …</translation>
    </message>
    <message>
        <source>Add the selected contacts to a static segment</source>
        <translation>Die ausgewählten Kontakte einem statischen Segment hinzufügen</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exportieren …</translation>
    </message>
    <message>
        <source>Save the selected contacts as a CSV file</source>
        <translation>Die ausgewählten Kontakte als CSV-Datei speichern</translation>
    </message>
    <message>
        <source>Unsubscribe…</source>
        <translation>Abmelden …</translation>
    </message>
    <message>
        <source>Unsubscribe the selected contacts (logged on each)</source>
        <translation>Die ausgewählten Kontakte abmelden (bei jedem protokolliert)</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Löschen …</translation>
    </message>
    <message>
        <source>Delete the selected contacts and their history</source>
        <translation>Die ausgewählten Kontakte und ihren Verlauf löschen</translation>
    </message>
    <message numerus="yes">
        <source>%n selected</source>
        <translation><numerusform>%n ausgewählt</numerusform><numerusform>%n ausgewählt</numerusform></translation>
    </message>
    <message>
        <source>Select contacts to act on them</source>
        <translation>Kontakte auswählen, um mit ihnen zu arbeiten</translation>
    </message>
</context>
<context>
    <name>dashboard</name>
    <message>
        <source>‹ Back</source>
        <translation>‹ Zurück</translation>
    </message>
    <message>
        <source>Open canvas</source>
        <translation>Arbeitsfläche öffnen</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>CSV exportieren</translation>
    </message>
    <message>
        <source>Figures per day…</source>
        <translation>Zahlen pro Tag …</translation>
    </message>
    <message>
        <source>Figures per node…</source>
        <translation>Zahlen pro Knoten …</translation>
    </message>
    <message>
        <source>Export PNG</source>
        <translation>PNG exportieren</translation>
    </message>
    <message>
        <source>Per day</source>
        <translation>Pro Tag</translation>
    </message>
    <message>
        <source>Messages by channel</source>
        <translation>Nachrichten nach Kanal</translation>
    </message>
    <message>
        <source>Figures per node</source>
        <translation>Zahlen pro Knoten</translation>
    </message>
    <message>
        <source>Return opens the node's figures</source>
        <translation>Die Eingabetaste öffnet die Zahlen des Knotens</translation>
    </message>
    <message>
        <source>Double-click a node for who is there now and what it sent</source>
        <translation>Doppelklick auf einen Knoten zeigt, wer gerade dort ist und was er gesendet hat</translation>
    </message>
    <message>
        <source>Child campaigns</source>
        <translation>Unterkampagnen</translation>
    </message>
    <message>
        <source>Contacts and messages per day, chart</source>
        <translation>Kontakte und Nachrichten pro Tag, Diagramm</translation>
    </message>
    <message>
        <source>The same figures are in the Table tab</source>
        <translation>Dieselben Zahlen stehen im Reiter „Tabelle“</translation>
    </message>
    <message>
        <source>Contacts and messages per day</source>
        <translation>Kontakte und Nachrichten pro Tag</translation>
    </message>
    <message>
        <source>Chart</source>
        <translation>Diagramm</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>Tabelle</translation>
    </message>
    <message>
        <source>Child campaigns (rolled up into the totals)</source>
        <translation>Unterkampagnen (in den Summen enthalten)</translation>
    </message>
    <message>
        <source>No activity yet</source>
        <translation>Noch keine Aktivität</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Tag</translation>
    </message>
</context>
<context>
    <name>editor</name>
    <message>
        <source>Cannot open campaign</source>
        <translation>Kampagne kann nicht geöffnet werden</translation>
    </message>
    <message>
        <source>Cannot save campaign</source>
        <translation>Kampagne kann nicht gespeichert werden</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <source>Cannot export</source>
        <translation>Export nicht möglich</translation>
    </message>
</context>
<context>
    <name>fields</name>
    <message>
        <source>A Jinja2 template: {{ contact.first_name }} …</source>
        <translation>Eine Jinja2-Vorlage: {{ contact.first_name }} …</translation>
    </message>
    <message>
        <source>e.g. 2</source>
        <translation>z. B. 2</translation>
    </message>
    <message>
        <source>e.g. {example}</source>
        <translation>z. B. {example}</translation>
    </message>
    <message>
        <source>Pick a date</source>
        <translation>Datum wählen</translation>
    </message>
    <message>
        <source>names, separated by commas</source>
        <translation>Namen, durch Kommas getrennt</translation>
    </message>
    <message>
        <source>text, number, true/false</source>
        <translation>Text, Zahl, true/false</translation>
    </message>
    <message>
        <source>values, separated by commas</source>
        <translation>Werte, durch Kommas getrennt</translation>
    </message>
    <message>
        <source>default: {value}</source>
        <translation>Voreinstellung: {value}</translation>
    </message>
    <message>
        <source>e.g. purchase</source>
        <translation>z. B. purchase</translation>
    </message>
    <message>
        <source>e.g. country</source>
        <translation>z. B. country</translation>
    </message>
    <message>
        <source>required</source>
        <translation>Pflichtfeld</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>optional</translation>
    </message>
</context>
<context>
    <name>import_dialog</name>
    <message>
        <source>Import CSV</source>
        <translation>CSV importieren</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Importieren</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>Kontakte</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Ereignisse</translation>
    </message>
    <message>
        <source>Choose a .csv file with a header row</source>
        <translation>Eine .csv-Datei mit Kopfzeile wählen</translation>
    </message>
    <message>
        <source>Choose file…</source>
        <translation>Datei wählen …</translation>
    </message>
    <message>
        <source>First rows</source>
        <translation>Erste Zeilen</translation>
    </message>
    <message>
        <source>What each column becomes</source>
        <translation>Was aus jeder Spalte wird</translation>
    </message>
    <message>
        <source>Preset:</source>
        <translation>Vorlage:</translation>
    </message>
    <message>
        <source>Column mappings for the exports of other tools, and your own</source>
        <translation>Spaltenzuordnungen für Exporte anderer Programme und Ihre eigenen</translation>
    </message>
    <message>
        <source>Save as preset…</source>
        <translation>Als Vorlage speichern …</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>Wird importiert …</translation>
    </message>
    <message>
        <source>Rejected rows</source>
        <translation>Abgelehnte Zeilen</translation>
    </message>
    <message>
        <source>Save rejected rows as CSV…</source>
        <translation>Abgelehnte Zeilen als CSV speichern …</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>None — by column names</source>
        <translation>Keine – nach Spaltennamen</translation>
    </message>
    <message>
        <source>name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Cancel import</source>
        <translation>Import abbrechen</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Import another file</source>
        <translation>Weitere Datei importieren</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen …</translation>
    </message>
</context>
<context>
    <name>inspector</name>
    <message>
        <source>Saved segment</source>
        <translation>Gespeichertes Segment</translation>
    </message>
    <message>
        <source>Custom filter</source>
        <translation>Eigener Filter</translation>
    </message>
    <message>
        <source>Saved template</source>
        <translation>Gespeicherte Vorlage</translation>
    </message>
    <message>
        <source>On a date</source>
        <translation>An einem Datum</translation>
    </message>
    <message>
        <source>After the start</source>
        <translation>Nach dem Start</translation>
    </message>
    <message>
        <source>Write it here</source>
        <translation>Hier schreiben</translation>
    </message>
    <message>
        <source>Campaign settings</source>
        <translation>Kampagneneinstellungen</translation>
    </message>
    <message>
        <source>Select a node to edit it</source>
        <translation>Einen Knoten zum Bearbeiten auswählen</translation>
    </message>
    <message>
        <source>ARRANGE</source>
        <translation>ANORDNEN</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>Bezeichnung</translation>
    </message>
    <message>
        <source>required</source>
        <translation>Pflichtfeld</translation>
    </message>
</context>
<context>
    <name>main_window</name>
    <message>
        <source>Campaign Studio</source>
        <translation>Campaign Studio</translation>
    </message>
    <message>
        <source>Empty workspace</source>
        <translation>Leerer Arbeitsbereich</translation>
    </message>
    <message>
        <source>Demo workspace</source>
        <translation>Demo-Arbeitsbereich</translation>
    </message>
</context>
<context>
    <name>node_detail</name>
    <message>
        <source>‹ Previous</source>
        <translation>‹ Zurück</translation>
    </message>
    <message>
        <source>Next ›</source>
        <translation>Weiter ›</translation>
    </message>
    <message>
        <source>Contacts here now</source>
        <translation>Kontakte, die gerade hier sind</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Alle Status</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <source>Over time</source>
        <translation>Im Zeitverlauf</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>palette</name>
    <message>
        <source>Nodes</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>Search nodes</source>
        <translation>Knoten suchen</translation>
    </message>
    <message>
        <source>Search nodes…</source>
        <translation>Knoten suchen …</translation>
    </message>
    <message>
        <source>Nodes to add</source>
        <translation>Knoten zum Hinzufügen</translation>
    </message>
    <message>
        <source>Return adds the node after the selected one</source>
        <translation>Die Eingabetaste fügt den Knoten nach dem ausgewählten ein</translation>
    </message>
    <message>
        <source>Drag onto the canvas, or double-click the canvas to add.</source>
        <translation>Auf die Arbeitsfläche ziehen oder zum Hinzufügen doppelt auf die Arbeitsfläche klicken.</translation>
    </message>
    <message>
        <source>Add a node</source>
        <translation>Knoten hinzufügen</translation>
    </message>
    <message>
        <source>Type to search, arrows to choose, Return adds it, Escape closes</source>
        <translation>Tippen zum Suchen, Pfeiltasten zum Wählen, die Eingabetaste fügt ihn hinzu, Escape schließt</translation>
    </message>
    <message>
        <source>Add a node… (type to search)</source>
        <translation>Knoten hinzufügen … (tippen zum Suchen)</translation>
    </message>
    <message>
        <source>Search node types</source>
        <translation>Knotenarten suchen</translation>
    </message>
    <message>
        <source>Matching nodes</source>
        <translation>Passende Knoten</translation>
    </message>
</context>
<context>
    <name>problems</name>
    <message>
        <source>Problems</source>
        <translation>Probleme</translation>
    </message>
    <message>
        <source>Return selects the node with the problem</source>
        <translation>Die Eingabetaste wählt den Knoten mit dem Problem aus</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>Nothing to fix. The campaign is checked again as you edit.</source>
        <translation>Nichts zu beheben. Die Kampagne wird beim Bearbeiten erneut geprüft.</translation>
    </message>
    <message>
        <source>✓ No problems: ready to start</source>
        <translation>✓ Keine Probleme: startbereit</translation>
    </message>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation><numerusform>%n Fehler</numerusform><numerusform>%n Fehler</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation><numerusform>%n Warnung</numerusform><numerusform>%n Warnungen</numerusform></translation>
    </message>
</context>
<context>
    <name>public_settings</name>
    <message>
        <source>Opens, clicks, bounces</source>
        <translation>Öffnungen, Klicks, Unzustellbare</translation>
    </message>
    <message>
        <source>The address recipients' mail programs and your website reach (campaign-studio serve, behind your HTTPS proxy: see docs/public-endpoint.md), and the mailbox bounces return to.</source>
        <translation>Die Adresse, die die Mailprogramme der Empfänger und Ihre Website erreichen (campaign-studio serve, hinter Ihrem HTTPS-Proxy: siehe docs/public-endpoint.md), und das Postfach, in das Unzustellbare zurückkommen.</translation>
    </message>
    <message>
        <source>None (143)</source>
        <translation>Keine (143)</translation>
    </message>
    <message>
        <source>Public address</source>
        <translation>Öffentliche Adresse</translation>
    </message>
    <message>
        <source>Count opens (a 1×1 image in HTML email)</source>
        <translation>Öffnungen zählen (ein 1×1-Bild in HTML-E-Mails)</translation>
    </message>
    <message>
        <source>Count clicks (links go through the address above)</source>
        <translation>Klicks zählen (Links laufen über die Adresse oben)</translation>
    </message>
    <message>
        <source>Tracking</source>
        <translation>Messung</translation>
    </message>
    <message>
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <source>always count</source>
        <translation>immer zählen</translation>
    </message>
    <message>
        <source>An event that arrives later than this after it happened is kept but starts and converts nothing.</source>
        <translation>Ein Ereignis, das später als diese Zeit nach seinem Eintreten ankommt, wird gespeichert, startet und konvertiert aber nichts.</translation>
    </message>
    <message>
        <source>Late events count for</source>
        <translation>Späte Ereignisse zählen bis zu</translation>
    </message>
    <message>
        <source>Bounce mailbox server</source>
        <translation>Server des Bounce-Postfachs</translation>
    </message>
    <message>
        <source>imap.example.com (empty: no bounce mailbox)</source>
        <translation>imap.example.com (leer: kein Bounce-Postfach)</translation>
    </message>
    <message>
        <source>Bounce mailbox port</source>
        <translation>Port des Bounce-Postfachs</translation>
    </message>
    <message>
        <source>Bounce mailbox</source>
        <translation>Bounce-Postfach</translation>
    </message>
    <message>
        <source>bounces@example.com (empty: the From address)</source>
        <translation>bounces@example.com (leer: die Absenderadresse)</translation>
    </message>
    <message>
        <source>Each email's envelope sender becomes bounces+ID@…, so a bounce names its message.</source>
        <translation>Der Umschlag-Absender jeder E-Mail wird zu bounces+ID@…, damit eine Unzustellbarkeitsmeldung ihre Nachricht nennt.</translation>
    </message>
    <message>
        <source>Bounces return to</source>
        <translation>Unzustellbare gehen an</translation>
    </message>
    <message>
        <source>Mailbox user</source>
        <translation>Benutzer des Postfachs</translation>
    </message>
    <message>
        <source>Mailbox password</source>
        <translation>Passwort des Postfachs</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <source>Messages sent from now on link here.</source>
        <translation>Ab jetzt gesendete Nachrichten verlinken hierher.</translation>
    </message>
    <message>
        <source>Only this computer reaches this address: opens, clicks and unsubscribe links from recipients will not arrive.</source>
        <translation>Nur dieser Computer erreicht diese Adresse: Öffnungen, Klicks und Abmeldelinks der Empfänger kommen nicht an.</translation>
    </message>
    <message>
        <source>Use https: mail programs distrust http links and images.</source>
        <translation>Verwenden Sie https: Mailprogramme misstrauen http-Links und -Bildern.</translation>
    </message>
    <message>
        <source>stored</source>
        <translation>gespeichert</translation>
    </message>
    <message>
        <source>The public address must start with https:// (e.g. https://mail.example.com).</source>
        <translation>Die öffentliche Adresse muss mit https:// beginnen (z. B. https://mail.example.com).</translation>
    </message>
    <message>
        <source>The bounce address must be a plain address, e.g. bounces@example.com.</source>
        <translation>Die Bounce-Adresse muss eine einfache Adresse sein, z. B. bounces@example.com.</translation>
    </message>
    <message>
        <source>The bounce mailbox needs a user name.</source>
        <translation>Das Bounce-Postfach braucht einen Benutzernamen.</translation>
    </message>
</context>
<context>
    <name>rule_editor</name>
    <message>
        <source>not</source>
        <translation>nicht</translation>
    </message>
    <message>
        <source>Negate: match contacts for whom this is NOT true</source>
        <translation>Umkehren: Kontakte, für die dies NICHT zutrifft</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>at least</source>
        <translation>mindestens</translation>
    </message>
    <message>
        <source>within</source>
        <translation>innerhalb von</translation>
    </message>
    <message>
        <source>any time</source>
        <translation>jederzeit</translation>
    </message>
    <message>
        <source>where prop=value</source>
        <translation>wobei Eigenschaft=Wert</translation>
    </message>
    <message>
        <source>Only events with these properties, e.g. campaign=welcome</source>
        <translation>Nur Ereignisse mit diesen Eigenschaften, z. B. campaign=welcome</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>Any</source>
        <translation>Eine</translation>
    </message>
    <message>
        <source>All: every rule below must hold. Any: at least one.</source>
        <translation>Alle: Jede Regel unten muss zutreffen. Eine: mindestens eine.</translation>
    </message>
    <message>
        <source>of these are true</source>
        <translation>davon treffen zu</translation>
    </message>
    <message>
        <source>+ Condition</source>
        <translation>+ Bedingung</translation>
    </message>
    <message>
        <source>+ Group</source>
        <translation>+ Gruppe</translation>
    </message>
    <message>
        <source>No conditions: matches everyone.</source>
        <translation>Keine Bedingungen: trifft auf alle zu.</translation>
    </message>
    <message>
        <source>No conditions: matches no one.</source>
        <translation>Keine Bedingungen: trifft auf niemanden zu.</translation>
    </message>
</context>
<context>
    <name>segments</name>
    <message>
        <source>MATCHING CONTACTS</source>
        <translation>PASSENDE KONTAKTE</translation>
    </message>
    <message>
        <source>Segments</source>
        <translation>Segmente</translation>
    </message>
    <message>
        <source>Groups of contacts that campaigns target</source>
        <translation>Gruppen von Kontakten, an die sich Kampagnen richten</translation>
    </message>
    <message>
        <source>New segment</source>
        <translation>Neues Segment</translation>
    </message>
    <message>
        <source>e.g. engaged-customers</source>
        <translation>z. B. aktive-kunden</translation>
    </message>
    <message>
        <source>What this group is for (optional)</source>
        <translation>Wofür diese Gruppe ist (optional)</translation>
    </message>
    <message>
        <source>Dynamic — contacts matching rules</source>
        <translation>Dynamisch – Kontakte, die Regeln erfüllen</translation>
    </message>
    <message>
        <source>Static — a fixed list</source>
        <translation>Statisch – eine feste Liste</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Contacts are in this segment when…</source>
        <translation>Kontakte sind in diesem Segment, wenn …</translation>
    </message>
    <message>
        <source>First {count} matching contacts</source>
        <translation>Die ersten {count} passenden Kontakte</translation>
    </message>
    <message>
        <source>Sample of matching contacts</source>
        <translation>Stichprobe passender Kontakte</translation>
    </message>
    <message>
        <source>Add contacts: paste email addresses or phones</source>
        <translation>Kontakte hinzufügen: E-Mail-Adressen oder Telefonnummern einfügen</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Remove selected</source>
        <translation>Ausgewählte entfernen</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Mitglieder</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Save segment</source>
        <translation>Segment speichern</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message numerus="yes">
        <source>%n segment(s) · groups of contacts campaigns target</source>
        <translation><numerusform>%n Segment · Gruppen von Kontakten, an die sich Kampagnen richten</numerusform><numerusform>%n Segmente · Gruppen von Kontakten, an die sich Kampagnen richten</numerusform></translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <source>Discard changes</source>
        <translation>Änderungen verwerfen</translation>
    </message>
    <message>
        <source>New segment — name it, add conditions, save</source>
        <translation>Neues Segment – benennen, Bedingungen hinzufügen, speichern</translation>
    </message>
    <message>
        <source>Finish the highlighted condition to see the count</source>
        <translation>Die markierte Bedingung fertigstellen, um die Anzahl zu sehen</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>Wird gezählt …</translation>
    </message>
    <message>
        <source>First {count} of {matching} matching contacts</source>
        <translation>Die ersten {count} von {matching} passenden Kontakten</translation>
    </message>
    <message>
        <source>No contact matches these conditions</source>
        <translation>Kein Kontakt erfüllt diese Bedingungen</translation>
    </message>
    <message>
        <source>The rule cannot be counted</source>
        <translation>Die Regel kann nicht gezählt werden</translation>
    </message>
    <message>
        <source>Give the segment a name first.</source>
        <translation>Geben Sie dem Segment zuerst einen Namen.</translation>
    </message>
    <message>
        <source>Replace segment</source>
        <translation>Segment ersetzen</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>Ersetzen</translation>
    </message>
    <message>
        <source>Delete segment</source>
        <translation>Segment löschen</translation>
    </message>
</context>
<context>
    <name>settings_form</name>
    <message>
        <source>Hold sends between</source>
        <translation>Sendungen zurückhalten zwischen</translation>
    </message>
    <message>
        <source>and</source>
        <translation>und</translation>
    </message>
    <message>
        <source>As in the workspace settings</source>
        <translation>Wie in den Einstellungen des Arbeitsbereichs</translation>
    </message>
    <message>
        <source>For this campaign only (the workspace says {state})</source>
        <translation>Nur für diese Kampagne (der Arbeitsbereich sagt {state})</translation>
    </message>
    <message>
        <source>on</source>
        <translation>an</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>At most</source>
        <translation>Höchstens</translation>
    </message>
    <message>
        <source>per</source>
        <translation>pro</translation>
    </message>
</context>
<context>
    <name>settings_screen</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>How this workspace stores data and sends messages</source>
        <translation>Wie dieser Arbeitsbereich Daten speichert und Nachrichten sendet</translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation>Einstellungen speichern</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>A SQLite file on this computer, or a server URL such as postgresql+psycopg://user@host/campaigns. Switching opens the other database after a restart.</source>
        <translation>Eine SQLite-Datei auf diesem Computer oder eine Server-URL wie postgresql+psycopg://user@host/campaigns. Nach einem Wechsel wird die andere Datenbank beim Neustart geöffnet.</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>In Verwendung</translation>
    </message>
    <message>
        <source>/path/to/campaigns.db or postgresql+psycopg://…</source>
        <translation>/pfad/zu/campaigns.db oder postgresql+psycopg://…</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen …</translation>
    </message>
    <message>
        <source>Switch…</source>
        <translation>Wechseln …</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Speicherort</translation>
    </message>
    <message>
        <source>Email delivery</source>
        <translation>E-Mail-Versand</translation>
    </message>
    <message>
        <source>Send email to</source>
        <translation>E-Mail senden an</translation>
    </message>
    <message>
        <source>smtp.example.com</source>
        <translation>smtp.example.com</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>unverändert</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Database location</source>
        <translation>Speicherort der Datenbank</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>Sicherheit</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>you@example.com</source>
        <translation>sie@example.com</translation>
    </message>
    <message>
        <source>Send test email</source>
        <translation>Test-E-Mail senden</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Testen</translation>
    </message>
    <message>
        <source>SMS and messenger gateway</source>
        <translation>SMS- und Messenger-Gateway</translation>
    </message>
    <message>
        <source>Messages are sent as an HTTP request. The body is a template with {{ message.to }}, {{ message.text }} and {{ message.channel }}.</source>
        <translation>Nachrichten werden als HTTP-Anfrage gesendet. Der Inhalt ist eine Vorlage mit {{ message.to }}, {{ message.text }} und {{ message.channel }}.</translation>
    </message>
    <message>
        <source>Gateway for</source>
        <translation>Gateway für</translation>
    </message>
    <message>
        <source>Gateway address</source>
        <translation>Adresse des Gateways</translation>
    </message>
    <message>
        <source>https://sms.example.com/send (empty: outbox folder)</source>
        <translation>https://sms.example.com/send (leer: Postausgangsordner)</translation>
    </message>
    <message>
        <source>Request method</source>
        <translation>Anfragemethode</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <source>Authorization: Bearer …
Content-Type: application/json</source>
        <translation>Authorization: Bearer …
Content-Type: application/json</translation>
    </message>
    <message>
        <source>Headers</source>
        <translation>Kopfzeilen</translation>
    </message>
    <message>
        <source>Body</source>
        <translation>Inhalt</translation>
    </message>
    <message>
        <source>Sender identities</source>
        <translation>Absender</translation>
    </message>
    <message>
        <source>The From addresses templates can choose; the first one is the default.</source>
        <translation>Die Absenderadressen, die Vorlagen wählen können; die erste ist die Voreinstellung.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Email address</source>
        <translation>E-Mail-Adresse</translation>
    </message>
    <message>
        <source>Add sender</source>
        <translation>Absender hinzufügen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Sending defaults</source>
        <translation>Voreinstellungen für den Versand</translation>
    </message>
    <message>
        <source>Campaigns use these unless their own settings say otherwise. Quiet hours are in each contact's time zone.</source>
        <translation>Kampagnen verwenden diese, sofern ihre eigenen Einstellungen nichts anderes sagen. Ruhezeiten gelten in der Zeitzone jedes Kontakts.</translation>
    </message>
    <message>
        <source>No messages between</source>
        <translation>Keine Nachrichten zwischen</translation>
    </message>
    <message>
        <source>Quiet hours from</source>
        <translation>Ruhezeiten ab</translation>
    </message>
    <message>
        <source>Quiet hours until</source>
        <translation>Ruhezeiten bis</translation>
    </message>
    <message>
        <source>and</source>
        <translation>und</translation>
    </message>
    <message>
        <source>Quiet hours</source>
        <translation>Ruhezeiten</translation>
    </message>
    <message>
        <source>At most</source>
        <translation>Höchstens</translation>
    </message>
    <message>
        <source>Frequency cap: messages</source>
        <translation>Häufigkeitsgrenze: Nachrichten</translation>
    </message>
    <message>
        <source>Frequency cap: period</source>
        <translation>Häufigkeitsgrenze: Zeitraum</translation>
    </message>
    <message>
        <source>Frequency cap</source>
        <translation>Häufigkeitsgrenze</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>keine Grenze</translation>
    </message>
    <message>
        <source> per minute</source>
        <translation> pro Minute</translation>
    </message>
    <message>
        <source>Send rate</source>
        <translation>Senderate</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>Erscheinungsbild</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Design</translation>
    </message>
    <message>
        <source>Same as the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation>Hoher Kontrast</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>Unsaved settings</source>
        <translation>Ungespeicherte Einstellungen</translation>
    </message>
    <message>
        <source>Save the changes to the settings?</source>
        <translation>Die Änderungen an den Einstellungen speichern?</translation>
    </message>
    <message>
        <source>Switch database</source>
        <translation>Datenbank wechseln</translation>
    </message>
    <message>
        <source>Switch and restart</source>
        <translation>Wechseln und neu starten</translation>
    </message>
    <message>
        <source>The language applies fully when Campaign Studio restarts</source>
        <translation>Die Sprache gilt vollständig nach einem Neustart von Campaign Studio</translation>
    </message>
    <message>
        <source>Enter the address to send the test email to.</source>
        <translation>Geben Sie die Adresse ein, an die die Test-E-Mail gehen soll.</translation>
    </message>
</context>
<context>
    <name>settings_store</name>
    <message>
        <source>It is never stored in the database.</source>
        <translation>Es wird nie in der Datenbank gespeichert.</translation>
    </message>
</context>
<context>
    <name>simulate_dialog</name>
    <message>
        <source>Run the campaign on a copy of your contacts with a virtual clock. Nothing is sent and the real campaign is not touched.</source>
        <translation>Die Kampagne auf einer Kopie Ihrer Kontakte mit einer virtuellen Uhr ausführen. Es wird nichts gesendet und die echte Kampagne bleibt unverändert.</translation>
    </message>
    <message>
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <source>Forecast</source>
        <translation>Vorhersage</translation>
    </message>
    <message>
        <source>Starting</source>
        <translation>Beginn</translation>
    </message>
    <message>
        <source>Run forecast</source>
        <translation>Vorhersage berechnen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Simulating…</source>
        <translation>Wird simuliert …</translation>
    </message>
    <message>
        <source>Forecast cancelled.</source>
        <translation>Vorhersage abgebrochen.</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen …</translation>
    </message>
</context>
<context>
    <name>step_preview</name>
    <message>
        <source>PREVIEW</source>
        <translation>VORSCHAU</translation>
    </message>
    <message>
        <source>Preview as contact</source>
        <translation>Vorschau als Kontakt</translation>
    </message>
    <message>
        <source>Sample contact (Alex Sample)</source>
        <translation>Beispielkontakt (Alex Sample)</translation>
    </message>
    <message>
        <source>Rendered message</source>
        <translation>Dargestellte Nachricht</translation>
    </message>
    <message>
        <source>(no address)</source>
        <translation>(keine Adresse)</translation>
    </message>
    <message>
        <source>Test address</source>
        <translation>Testadresse</translation>
    </message>
    <message>
        <source>Send a test to…</source>
        <translation>Test senden an …</translation>
    </message>
    <message>
        <source>Send test</source>
        <translation>Test senden</translation>
    </message>
    <message>
        <source>Enter the address to send the test to.</source>
        <translation>Geben Sie die Adresse ein, an die der Test gehen soll.</translation>
    </message>
    <message>
        <source>Sending to {to}…</source>
        <translation>Wird an {to} gesendet …</translation>
    </message>
    <message>
        <source>Not sent: {reason}</source>
        <translation>Nicht gesendet: {reason}</translation>
    </message>
</context>
<context>
    <name>template_preview</name>
    <message>
        <source>Preview as</source>
        <translation>Vorschau als</translation>
    </message>
    <message>
        <source>Search a contact…</source>
        <translation>Kontakt suchen …</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Vorschau</translation>
    </message>
    <message>
        <source>Rendered</source>
        <translation>Dargestellt</translation>
    </message>
    <message>
        <source>Plain text</source>
        <translation>Nur Text</translation>
    </message>
    <message>
        <source>{html} characters of HTML · {text} of text</source>
        <translation>{html} Zeichen HTML · {text} Zeichen Text</translation>
    </message>
    <message>
        <source>Raw</source>
        <translation>Quelltext</translation>
    </message>
    <message>
        <source>Test address</source>
        <translation>Testadresse</translation>
    </message>
    <message>
        <source>Send a test to…</source>
        <translation>Test senden an …</translation>
    </message>
    <message>
        <source>Send test</source>
        <translation>Test senden</translation>
    </message>
    <message>
        <source>Enter the address to send the test to.</source>
        <translation>Geben Sie die Adresse ein, an die der Test gehen soll.</translation>
    </message>
    <message>
        <source>Sending to {to}…</source>
        <translation>Wird an {to} gesendet …</translation>
    </message>
    <message>
        <source>Not sent: {reason}</source>
        <translation>Nicht gesendet: {reason}</translation>
    </message>
</context>
<context>
    <name>templates</name>
    <message>
        <source>welcome-email</source>
        <translation>willkommens-email</translation>
    </message>
    <message>
        <source>Default sender (from settings)</source>
        <translation>Standardabsender (aus den Einstellungen)</translation>
    </message>
    <message>
        <source>Welcome, {{ contact.first_name }}!</source>
        <translation>Willkommen, {{ contact.first_name }}!</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kanal</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Betreff</translation>
    </message>
    <message>
        <source>HTML</source>
        <translation>HTML</translation>
    </message>
    <message>
        <source>Plain text</source>
        <translation>Nur Text</translation>
    </message>
    <message>
        <source>Use {{ contact.first_name }}, {{ contact.attributes.plan }}, {{ campaign.name }}, {{ unsubscribe_url }} — templates run in a sandbox.</source>
        <translation>Verwenden Sie {{ contact.first_name }}, {{ contact.attributes.plan }}, {{ campaign.name }}, {{ unsubscribe_url }} – Vorlagen laufen in einer Sandbox.</translation>
    </message>
    <message>
        <source>e.g. welcome-email</source>
        <translation>z. B. willkommens-email</translation>
    </message>
    <message>
        <source>e.g. reminder-sms</source>
        <translation>z. B. erinnerungs-sms</translation>
    </message>
    <message>
        <source>e.g. app-nudge</source>
        <translation>z. B. app-hinweis</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <source>Templates</source>
        <translation>Vorlagen</translation>
    </message>
    <message>
        <source>Messages your campaigns send, rendered per contact</source>
        <translation>Nachrichten, die Ihre Kampagnen senden, pro Kontakt dargestellt</translation>
    </message>
    <message>
        <source>New template</source>
        <translation>Neue Vorlage</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message numerus="yes">
        <source>%n template(s) · messages your campaigns send, rendered per contact</source>
        <translation><numerusform>%n Vorlage · Nachrichten, die Ihre Kampagnen senden, pro Kontakt dargestellt</numerusform><numerusform>%n Vorlagen · Nachrichten, die Ihre Kampagnen senden, pro Kontakt dargestellt</numerusform></translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <source>Discard changes</source>
        <translation>Änderungen verwerfen</translation>
    </message>
    <message>
        <source>New template — give it a name and save</source>
        <translation>Neue Vorlage – benennen und speichern</translation>
    </message>
    <message>
        <source>Sample contact (Alex Sample)</source>
        <translation>Beispielkontakt (Alex Sample)</translation>
    </message>
    <message>
        <source>Give the template a name first.</source>
        <translation>Geben Sie der Vorlage zuerst einen Namen.</translation>
    </message>
    <message>
        <source>Replace template</source>
        <translation>Vorlage ersetzen</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>Ersetzen</translation>
    </message>
    <message>
        <source>Not saved: fix the marked line first.</source>
        <translation>Nicht gespeichert: Zuerst die markierte Zeile korrigieren.</translation>
    </message>
    <message>
        <source>Delete template</source>
        <translation>Vorlage löschen</translation>
    </message>
</context>
</TS>