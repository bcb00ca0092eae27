/** Whether two objects hold the same values (`Object.is`) under the first one's keys. */
export function shallowEqual(a: object, b: object): boolean {
  const keys = Object.keys(a) as Array<keyof typeof a>
  return keys.every((key) => Object.is(a[key], b[key]))
}
