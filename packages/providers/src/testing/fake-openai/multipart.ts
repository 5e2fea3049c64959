import type { RecordedRequest } from '../loopback-server.ts'

/** Parses a recorded `multipart/form-data` body with the platform's own parser. */
export function readFormData(request: RecordedRequest): Promise<FormData> {
  const headers = new Headers({ 'content-type': request.headers['content-type'] ?? '' })
  return new Request('http://fake.local/', { method: 'POST', headers, body: new Uint8Array(request.body) }).formData()
}

/** The files sent under `name` (OpenAI accepts both `image` and the array form `image[]`). */
export function formFiles(form: FormData, name: string): File[] {
  return [...form.getAll(name), ...form.getAll(`${name}[]`)].filter((value): value is File => value instanceof File)
}

/** The form's text fields, for validating like a JSON body. */
export function formFields(form: FormData): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const [name, value] of form) if (typeof value === 'string') fields[name] = value
  return fields
}
