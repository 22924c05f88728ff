// Prints, as JSON, what pdf.js reads from a PDF's form: every field with its name
// (getFieldObjects) and every widget on every page with its field name, type and
// alternative text (getAnnotations), as a viewer's accessibility layer gets them.
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { readFile } from "node:fs/promises";

const data = new Uint8Array(await readFile(process.argv[2]));
const pdf = await getDocument({ data, verbosity: 0 }).promise;
const fields = await pdf.getFieldObjects();
const widgets = [];
for (let number = 1; number <= pdf.numPages; number++) {
  const page = await pdf.getPage(number);
  for (const annotation of await page.getAnnotations()) {
    if (annotation.subtype !== "Widget") continue;
    widgets.push({
      page: number,
      field: annotation.fieldName,
      type: annotation.fieldType,
      radio: Boolean(annotation.radioButton),
      checkbox: Boolean(annotation.checkBox),
      alternativeText: annotation.alternativeText ?? "",
    });
  }
}
const names = Object.fromEntries(
  Object.entries(fields ?? {}).map(([name, objects]) => [name, objects.length]),
);
process.stdout.write(JSON.stringify({ fields: names, widgets }));
