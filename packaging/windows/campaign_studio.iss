; Inno Setup script for Campaign Studio on Windows (per-user install, no administrator needed).
; Build the bundle first (packaging\README.md), then:  iscc packaging\windows\campaign_studio.iss
; Output: dist\campaign-studio-setup-<version>.exe. Not built on the project's Linux machines.
; Uninstalling removes only the installed files: the user's data in
; %LOCALAPPDATA%\campaign-studio (database, outbox) stays.

#define AppVersion "0.1.0"

[Setup]
AppId={{B502B541-9802-4FFC-93EC-4468394347F1}
AppName=Campaign Studio
AppVersion={#AppVersion}
AppPublisher=Campaign Studio team
DefaultDirName={localappdata}\Programs\Campaign Studio
DefaultGroupName=Campaign Studio
PrivilegesRequired=lowest
OutputDir=..\..\dist
OutputBaseFilename=campaign-studio-setup-{#AppVersion}
SetupIconFile=..\..\resources\icons\app.ico
UninstallDisplayIcon={app}\campaign-studio.exe
Compression=lzma2/max
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible

[Files]
Source: "..\..\dist\campaign-studio\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{group}\Campaign Studio"; Filename: "{app}\campaign-studio.exe"
Name: "{userdesktop}\Campaign Studio"; Filename: "{app}\campaign-studio.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked

[Run]
Filename: "{app}\campaign-studio.exe"; Description: "Start Campaign Studio"; Flags: nowait postinstall skipifsilent
