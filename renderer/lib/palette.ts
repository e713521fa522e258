/** the colours offered for tabs and hosts, in the menus' order */
export const PALETTE: readonly { color: string; label: string }[] = [
  { color: '#e5484d', label: 'Red' },
  { color: '#f76b15', label: 'Orange' },
  { color: '#ffc53d', label: 'Yellow' },
  { color: '#30a46c', label: 'Green' },
  { color: '#12a594', label: 'Teal' },
  { color: '#3e63dd', label: 'Blue' },
  { color: '#8e4ec6', label: 'Purple' },
  { color: '#d6409f', label: 'Pink' },
];
