import Link from "next/link";

export default function NotFound() {
  return (
    <div className="page narrow">
      <h1>Not found</h1>
      <p>
        There is no such channel or page. <Link href="/">See who is live</Link>.
      </p>
    </div>
  );
}
