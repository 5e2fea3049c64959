// The canvas's plain geometry, in flow coordinates: shared by the document edits, the layout,
// the store's drag state and the canvas.

export interface XY {
  x: number
  y: number
}

export interface Size {
  width: number
  height: number
}

export interface Rect extends XY, Size {}
