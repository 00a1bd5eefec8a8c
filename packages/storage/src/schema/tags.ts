/** A resource tag, in AWS's own shape (TagResource / ListTagsForResource). */
export interface Tag {
  key: string;
  value: string;
}
