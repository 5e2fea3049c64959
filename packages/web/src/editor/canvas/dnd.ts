/** The palette's drag payload type: the node type to add where it is dropped. */
export const NODE_DRAG_TYPE = 'application/x-patchbay-node'

/** The palette's drag payload type for annotations: `note` or `group`, added where dropped. */
export const ANNOTATION_DRAG_TYPE = 'application/x-patchbay-annotation'
