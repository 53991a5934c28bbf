"""The campaign canvas (Qt): scene, node and edge items, palette, inspector, undo commands.
It edits an engine.diagram.Diagram through undoable commands; the scene mirrors the model."""
