import { redirect } from 'next/navigation';

export const dynamic = 'force-dynamic';

// The admin area opens on its first page.
export default function AdminPage() {
  redirect('/admin/projects');
}
