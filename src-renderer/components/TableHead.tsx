/**
 * A table's header row: one column header per name, and a last, unnamed-on-screen "Actions"
 * column (named for screen readers) when the rows carry buttons.
 */
export function TableHead(props: { columns: readonly string[]; actions?: boolean }) {
  return (
    <thead>
      <tr>
        {props.columns.map((column) => (
          <th key={column} scope="col">
            {column}
          </th>
        ))}
        {props.actions && (
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        )}
      </tr>
    </thead>
  );
}
