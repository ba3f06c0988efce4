import { describe, expect, it } from 'vitest';
import { exportedMethods, fillTemplate, templateOf } from './routes';

describe('the API routes from the file system', () => {
  it('reads the exported methods of a route module', () => {
    const src = "export const dynamic = 'force-dynamic';\nexport const GET = withUser(x);\nexport async function DELETE(req) {}\nconst PATCH = 1;\n";
    expect(exportedMethods(src)).toEqual(['GET', 'DELETE']);
    expect(exportedMethods('const handler = NextAuth(x);\nexport { handler as GET, handler as POST };\n')).toEqual(['GET', 'POST']);
  });
  it('turns a file path into a URL template with its parameters', () => {
    expect(templateOf('api/vms/[namespace]/[name]/disks/[disk]/route.ts')).toEqual({ template: '/api/vms/[namespace]/[name]/disks/[disk]', params: ['namespace', 'name', 'disk'], catchAll: false });
    expect(templateOf('api/auth/[...nextauth]/route.ts')).toEqual({ template: '/api/auth/[...nextauth]', params: ['nextauth'], catchAll: true });
    expect(templateOf('api/(group)/x/route.ts').template).toBe('/api/x');
  });
  it('fills a template and refuses to leave a parameter out', () => {
    expect(fillTemplate('/api/vms/[namespace]/[name]', { namespace: 'team-a', name: '%2e%2e' })).toBe('/api/vms/team-a/%2e%2e');
    expect(() => fillTemplate('/api/vms/[namespace]', {})).toThrow(/namespace/);
  });
});
